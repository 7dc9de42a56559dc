package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.JdkChannels;
import io.luo4j.linux.internal.Libc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * {@code tcp-listener-v1} and {@code unix-listener-v1}: a listening {@link ServerSocketChannel}
 * travels as its descriptor, so its accept queue travels too: a connection made while the service
 * is being upgraded waits in the queue and the successor accepts it; none is refused. The successor
 * gets the JDK's own ServerSocketChannel back (see {@link JdkChannels}), ready for a selector.
 */
final class ListenerHandler extends DescriptorHandler {
    static final String TCP = "tcp-listener-v1";
    static final String UNIX = "unix-listener-v1";

    private final Class<? extends SocketAddress> addressType;

    private ListenerHandler(String compatible, Class<? extends SocketAddress> addressType) {
        super(compatible);
        this.addressType = addressType;
    }

    static ListenerHandler tcp() {
        return new ListenerHandler(TCP, InetSocketAddress.class);
    }

    static ListenerHandler unix() {
        return new ListenerHandler(UNIX, UnixDomainSocketAddress.class);
    }

    /** An open, bound {@link ServerSocketChannel} of this handler's address family. */
    @Override
    public boolean canPreserve(Object file) {
        try {
            return file instanceof ServerSocketChannel channel && channel.isOpen()
                    && addressType.isInstance(channel.getLocalAddress());
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    int descriptorOf(Object file) {
        return JdkChannels.fdOf((ServerSocketChannel) file);
    }

    @Override
    byte[] stateOf(Object file, int reference) {
        return HandlerState.write(out -> HandlerState.writeAddress(out, localAddress((ServerSocketChannel) file)));
    }

    @Override
    Object rebuild(int fd, byte[] state) {
        HandlerState.read(state, compatible(), HandlerState::readAddress);
        if (Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_ACCEPTCONN) != 1) {
            throw new LiveUpdateException(Errno.EINVAL, compatible() + ": the received socket is not listening");
        }
        return JdkChannels.serverSocket(fd, familyOf(fd));
    }

    /** The protocol family of socket {@code fd} as the kernel has it (a dual-stack listener is INET6). */
    static ProtocolFamily familyOf(int fd) {
        int domain = Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_DOMAIN);
        return switch (domain) {
            case Libc.AF_INET -> StandardProtocolFamily.INET;
            case Libc.AF_INET6 -> StandardProtocolFamily.INET6;
            case Libc.AF_UNIX -> StandardProtocolFamily.UNIX;
            default -> throw new LiveUpdateException(Errno.EAFNOSUPPORT, "socket family " + domain + " is not supported");
        };
    }

    private static SocketAddress localAddress(ServerSocketChannel channel) {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
