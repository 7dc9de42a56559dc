package io.luo4j.linux.internal;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.io.Closeable;
import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * Descriptor numbers to and from the JDK's own channel classes.
 *
 * <p><b>Why this way.</b> A successor must get back a {@code ServerSocketChannel} or
 * {@code SocketChannel} that standard selectors and NIO servers accept, and only the JDK's own
 * implementation classes register with a JDK selector. The JDK has no public API to adopt an
 * existing descriptor:
 * <ul>
 *   <li>{@link System#inheritedChannel()} adopts only descriptor 0, once per JVM;</li>
 *   <li>wrapper channels of fd-passing libraries (junixsocket and the like) are their own
 *       {@code SelectableChannel} types, which a JDK {@code Selector} refuses;</li>
 *   <li>Netty's native epoll transport would bring its own channels and a JNI library.</li>
 * </ul>
 * So luo4j calls the constructors the JDK itself uses for inherited channels
 * ({@code sun.nio.ch.ServerSocketChannelImpl(SelectorProvider, ProtocolFamily, FileDescriptor, boolean)},
 * {@code SocketChannelImpl(SelectorProvider, ProtocolFamily, FileDescriptor, SocketAddress)},
 * {@code FileChannelImpl.open(...)}) and reads descriptor numbers with their {@code getFDVal()},
 * through a private lookup. That needs two flags on the JVM, which bin/luoctl, the tests and a
 * successor started from the same command line all carry:
 * {@code --add-opens java.base/sun.nio.ch=io.luo4j.linux --add-opens java.base/java.io=io.luo4j.linux}
 * (on the class path: {@code =ALL-UNNAMED}).
 * Without them every call here fails with EOPNOTSUPP naming the flags. These constructors have been
 * stable from JDK 17 to 25; a JDK that changes them fails the same way, loudly, at start-up.
 */
public final class JdkChannels {
    private static final String WHO = JdkChannels.class.getModule().isNamed() ? JdkChannels.class.getModule().getName() : "ALL-UNNAMED";
    private static final String FLAGS = "--add-opens java.base/sun.nio.ch=" + WHO + " --add-opens java.base/java.io=" + WHO;

    private JdkChannels() {}

    private static final class Handles {
        static final MethodHandle NEW_FILE_DESCRIPTOR;
        static final MethodHandle NEW_SERVER_SOCKET;
        static final MethodHandle NEW_SOCKET;
        static final MethodHandle OPEN_FILE;
        static final MethodHandle SERVER_SOCKET_FD;
        static final MethodHandle SOCKET_FD;
        static final MethodHandle FILE_CHANNEL_DESCRIPTOR;
        static final MethodHandle DESCRIPTOR_FD;
        static final LiveUpdateException UNAVAILABLE;

        static {
            MethodHandle newFd = null, server = null, socket = null, file = null, serverFd = null, socketFd = null,
                    fileFd = null, descriptorFd = null;
            LiveUpdateException unavailable = null;
            try {
                MethodHandles.Lookup io = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup());
                newFd = io.findConstructor(FileDescriptor.class, MethodType.methodType(void.class, int.class));
                descriptorFd = io.findGetter(FileDescriptor.class, "fd", int.class);
                Class<?> serverImpl = Class.forName("sun.nio.ch.ServerSocketChannelImpl");
                Class<?> socketImpl = Class.forName("sun.nio.ch.SocketChannelImpl");
                Class<?> fileImpl = Class.forName("sun.nio.ch.FileChannelImpl");
                // a private lookup reaches the private members of its own class only: one per class
                MethodHandles.Lookup serverLookup = MethodHandles.privateLookupIn(serverImpl, MethodHandles.lookup());
                MethodHandles.Lookup socketLookup = MethodHandles.privateLookupIn(socketImpl, MethodHandles.lookup());
                MethodHandles.Lookup fileLookup = MethodHandles.privateLookupIn(fileImpl, MethodHandles.lookup());
                server = serverLookup.findConstructor(serverImpl, MethodType.methodType(void.class, SelectorProvider.class,
                        ProtocolFamily.class, FileDescriptor.class, boolean.class));
                socket = socketLookup.findConstructor(socketImpl, MethodType.methodType(void.class, SelectorProvider.class,
                        ProtocolFamily.class, FileDescriptor.class, SocketAddress.class));
                file = fileLookup.findStatic(fileImpl, "open", MethodType.methodType(FileChannel.class, FileDescriptor.class,
                        String.class, boolean.class, boolean.class, boolean.class, boolean.class, Closeable.class));
                serverFd = serverLookup.findVirtual(serverImpl, "getFDVal", MethodType.methodType(int.class));
                socketFd = socketLookup.findVirtual(socketImpl, "getFDVal", MethodType.methodType(int.class));
                fileFd = fileLookup.findGetter(fileImpl, "fd", FileDescriptor.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                unavailable = new LiveUpdateException(Errno.EOPNOTSUPP, "luo4j cannot reach the JDK's channel classes (" + e
                        + "): start the JVM with " + FLAGS, e);
            }
            NEW_FILE_DESCRIPTOR = newFd;
            NEW_SERVER_SOCKET = server;
            NEW_SOCKET = socket;
            OPEN_FILE = file;
            SERVER_SOCKET_FD = serverFd;
            SOCKET_FD = socketFd;
            FILE_CHANNEL_DESCRIPTOR = fileFd;
            DESCRIPTOR_FD = descriptorFd;
            UNAVAILABLE = unavailable;
        }

        static void require() {
            if (UNAVAILABLE != null) {
                throw new LiveUpdateException(UNAVAILABLE.reason(), UNAVAILABLE.detail(), UNAVAILABLE);
            }
        }
    }

    /** Fails with EOPNOTSUPP, naming the missing flags, if this JVM cannot adopt descriptors. */
    public static void requireAccess() {
        Handles.require();
    }

    /** The descriptor number of a JDK server socket, socket or file channel; EBADF for other types. */
    public static int fdOf(Channel channel) {
        Handles.require();
        try {
            if (channel instanceof ServerSocketChannel) {
                return (int) Handles.SERVER_SOCKET_FD.invoke(channel);
            }
            if (channel instanceof SocketChannel) {
                return (int) Handles.SOCKET_FD.invoke(channel);
            }
            if (channel instanceof FileChannel) {
                FileDescriptor descriptor = (FileDescriptor) Handles.FILE_CHANNEL_DESCRIPTOR.invoke(channel);
                return (int) Handles.DESCRIPTOR_FD.invoke(descriptor);
            }
        } catch (ClassCastException e) {
            // a channel type of another provider
        } catch (Throwable t) {
            throw rethrow(t);
        }
        throw new LiveUpdateException(Errno.EBADF, channel.getClass().getName() + " is not a JDK channel with a descriptor");
    }

    /** A JDK ServerSocketChannel over the bound, listening socket {@code fd}, which it now owns. */
    public static ServerSocketChannel serverSocket(int fd, ProtocolFamily family) {
        Handles.require();
        try {
            return (ServerSocketChannel) Handles.NEW_SERVER_SOCKET.invoke(SelectorProvider.provider(), family, descriptor(fd), true);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A JDK SocketChannel over the connected socket {@code fd}, which it now owns. */
    public static SocketChannel socket(int fd, ProtocolFamily family, SocketAddress remote) {
        Handles.require();
        try {
            return (SocketChannel) Handles.NEW_SOCKET.invoke(SelectorProvider.provider(), family, descriptor(fd), remote);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A JDK FileChannel over the open file {@code fd}, which it now owns. */
    public static FileChannel file(int fd, String path, boolean readable, boolean writable) {
        Handles.require();
        try {
            return (FileChannel) Handles.OPEN_FILE.invoke(descriptor(fd), path, readable, writable, false, false, (Closeable) null);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static FileDescriptor descriptor(int fd) throws Throwable {
        return (FileDescriptor) Handles.NEW_FILE_DESCRIPTOR.invoke(fd);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof LiveUpdateException e) {
            return e;
        }
        return new LiveUpdateException(Errno.EIO, "the JDK refused a descriptor: " + t, t);
    }
}
