package io.luo4j.linux;

import io.luo4j.linux.internal.JdkChannels;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * {@code tcp-connection-v1}: an established TCP connection, a {@link TcpConnection} (with its
 * unread bytes) or a plain {@link SocketChannel}, travels as its descriptor and comes back as the
 * same type: over the JDK's own SocketChannel, or, for a TcpConnection over a raw descriptor
 * ({@link TcpConnection#ofDescriptor}), over the received raw descriptor for the successor's
 * library to adopt. State: the form (byte 0: a bare SocketChannel, 1: a TcpConnection over one,
 * 2: a TcpConnection over a raw descriptor; images of the first two forms wrote the same byte as a
 * boolean), the remote address (JDK forms only: the JDK channel is rebuilt with it), and the
 * unread and unwritten bytes as of freeze.
 */
final class ConnectionHandler extends DescriptorHandler {
    static final String COMPATIBLE = "tcp-connection-v1";

    ConnectionHandler() {
        super(COMPATIBLE);
    }

    private static final int BARE = 0;
    private static final int WRAPPED = 1;
    private static final int RAW = 2;

    private record State(int form, SocketAddress remote, byte[] unread, byte[] unwritten) {}

    /**
     * A connected TCP {@link SocketChannel}, bare or in a {@link TcpConnection}, or an open
     * TcpConnection over a raw descriptor (checked to be a connected TCP socket when it was made).
     */
    @Override
    public boolean canPreserve(Object file) {
        if (file instanceof TcpConnection connection && connection.isRawDescriptor()) {
            return connection.isOpen();
        }
        SocketChannel channel = channelOf(file);
        try {
            return channel != null && channel.isOpen() && channel.isConnected()
                    && channel.getRemoteAddress() instanceof InetSocketAddress;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    int descriptorOf(Object file) {
        if (file instanceof TcpConnection connection) {
            return connection.descriptor();
        }
        return JdkChannels.fdOf((SocketChannel) file);
    }

    @Override
    byte[] stateOf(Object file, int reference) {
        byte[] unread = file instanceof TcpConnection connection ? connection.unreadBytes() : new byte[0];
        byte[] unwritten = file instanceof TcpConnection connection ? connection.unwrittenBytes() : new byte[0];
        int form = !(file instanceof TcpConnection connection) ? BARE : connection.isRawDescriptor() ? RAW : WRAPPED;
        SocketAddress remote = form == RAW ? null : remoteAddress(channelOf(file));
        return HandlerState.write(out -> {
            out.writeByte(form);
            if (form != RAW) {
                HandlerState.writeAddress(out, remote);
            }
            writeBytes(out, unread);
            writeBytes(out, unwritten);
        });
    }

    @Override
    Object rebuild(int fd, byte[] data) {
        State state = HandlerState.read(data, COMPATIBLE, in -> {
            int form = in.readUnsignedByte();
            if (form > RAW) {
                throw new IOException("unknown connection form " + form);
            }
            return new State(form, form == RAW ? null : HandlerState.readAddress(in), readBytes(in), readBytes(in));
        });
        if (state.form() == RAW) {
            return TcpConnection.ofDescriptor(fd, state.unread(), state.unwritten());
        }
        SocketChannel channel = JdkChannels.socket(fd, ListenerHandler.familyOf(fd), state.remote());
        return state.form() == WRAPPED ? TcpConnection.of(channel, state.unread(), state.unwritten()) : channel;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("byte count " + length + " with " + in.available() + " bytes left");
        }
        return in.readNBytes(length);
    }

    /** The JDK channel of a bare channel or a TcpConnection over one; null otherwise. */
    private static SocketChannel channelOf(Object file) {
        if (file instanceof TcpConnection connection) {
            return connection.isRawDescriptor() ? null : connection.channel();
        }
        return file instanceof SocketChannel channel ? channel : null;
    }

    private static SocketAddress remoteAddress(SocketChannel channel) {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
