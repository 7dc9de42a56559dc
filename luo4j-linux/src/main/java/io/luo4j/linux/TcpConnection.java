package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.JdkChannels;
import io.luo4j.linux.internal.Libc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;

/**
 * An established connection with the bytes in flight inside the application: read but not handled
 * yet, and produced but not written yet.
 *
 * <p>Preserve one (built-in handler {@code tcp-connection-v1}) and it reaches the successor open,
 * with everything in flight: bytes still in the kernel's buffers stay with the socket, and bytes in
 * the application's buffers are carried as {@link #unread()} and {@link #unwritten()}. Before an
 * upgrade freezes, the service records them ({@link #setUnread}, {@link #setUnwritten}); the
 * successor writes {@link #unwritten()} first (replies already owed), handles {@link #unread()}
 * (a partial request), then reads on.
 *
 * <p>Two forms: over the JDK's own {@link SocketChannel} ({@link #of}), or over a raw descriptor
 * that a library outside the JDK does its I/O on, such as Netty's native epoll transport
 * ({@link #ofDescriptor}). A connection reaches the successor in the form it was preserved in: a
 * JDK channel comes back as a JDK channel ({@link #channel()}), a raw descriptor as a raw
 * descriptor ({@link #descriptor()}), for the successor's library to adopt. Either way luo4j
 * preserves its own duplicate of the descriptor, so the application keeps, uses and closes its
 * own as it always does.
 */
public final class TcpConnection implements Channel {
    /** The JDK channel; null for a connection over a raw descriptor. */
    private final SocketChannel channel;
    /** The raw descriptor; -1 for a connection over a JDK channel. */
    private final int descriptor;
    private boolean closed;
    private ByteBuffer unread;
    private ByteBuffer unwritten;

    private TcpConnection(SocketChannel channel, int descriptor, ByteBuffer unread, ByteBuffer unwritten) {
        this.channel = channel;
        this.descriptor = descriptor;
        this.unread = unread;
        this.unwritten = unwritten;
    }

    /** A connection over the JDK's {@code channel}, with nothing in flight yet. */
    public static TcpConnection of(SocketChannel channel) {
        return new TcpConnection(channel, -1, ByteBuffer.allocate(0), ByteBuffer.allocate(0));
    }

    /**
     * A connection over {@code fd}, a connected TCP socket that the application holds as a raw
     * descriptor (Netty's {@code EpollSocketChannel.fd()}, a JNI library's socket), with nothing in
     * flight yet. The application keeps doing its I/O on {@code fd} and closes it as before;
     * {@link #close()} closes it too, for a successor that never gave it to its library.
     *
     * @throws LiveUpdateException EBADF when {@code fd} is not open; EINVAL when it is not a
     *         connected TCP socket of family INET or INET6 (a listener, a Unix socket, a file)
     */
    public static TcpConnection ofDescriptor(int fd) {
        requireTcpConnection(fd);
        return new TcpConnection(null, fd, ByteBuffer.allocate(0), ByteBuffer.allocate(0));
    }

    static TcpConnection of(SocketChannel channel, byte[] unread, byte[] unwritten) {
        return new TcpConnection(channel, -1, ByteBuffer.wrap(unread), ByteBuffer.wrap(unwritten));
    }

    static TcpConnection ofDescriptor(int fd, byte[] unread, byte[] unwritten) {
        return new TcpConnection(null, fd, ByteBuffer.wrap(unread), ByteBuffer.wrap(unwritten));
    }

    private static void requireTcpConnection(int fd) {
        if (fd < 0 || !Libc.isOpen(fd)) {
            throw new LiveUpdateException(Errno.EBADF, "descriptor " + fd + " is not open");
        }
        int type;
        int domain;
        int listening;
        try {
            type = Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_TYPE);
            domain = Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_DOMAIN);
            listening = Libc.getsockoptInt(fd, Libc.SOL_SOCKET, Libc.SO_ACCEPTCONN);
        } catch (LiveUpdateException e) {
            throw new LiveUpdateException(Errno.EINVAL, "descriptor " + fd + " is not a socket: " + e.detail(), e);
        }
        if (type != Libc.SOCK_STREAM || (domain != Libc.AF_INET && domain != Libc.AF_INET6) || listening != 0) {
            throw new LiveUpdateException(Errno.EINVAL, "descriptor " + fd + " is not a connected TCP socket (type " + type
                    + ", family " + domain + (listening != 0 ? ", listening" : "") + ")");
        }
    }

    /**
     * The JDK channel.
     *
     * @throws LiveUpdateException EOPNOTSUPP for a connection over a raw descriptor: use {@link #descriptor()}
     */
    public SocketChannel channel() {
        if (channel == null) {
            throw new LiveUpdateException(Errno.EOPNOTSUPP, "this connection is over raw descriptor " + descriptor
                    + ", not a JDK channel: use descriptor()");
        }
        return channel;
    }

    /** Whether this connection is over a raw descriptor ({@link #ofDescriptor}) rather than a JDK channel. */
    public boolean isRawDescriptor() {
        return channel == null;
    }

    /**
     * The socket's descriptor number: the raw descriptor, or the one under the JDK channel. It stays
     * owned by whoever owns the connection; in a successor, a raw connection's is the received
     * socket, for the application's library to take over (e.g. {@code new EpollSocketChannel(fd)}).
     */
    public int descriptor() {
        return channel == null ? descriptor : JdkChannels.fdOf(channel);
    }

    /** Records the bytes read but not yet handled (copied); they travel with the connection. */
    public synchronized void setUnread(ByteBuffer bytes) {
        this.unread = copy(bytes);
    }

    /** The bytes read but not handled: in the successor, the predecessor's partial request. */
    public synchronized ByteBuffer unread() {
        return unread.asReadOnlyBuffer();
    }

    /** Records the bytes produced but not yet written (copied); they travel with the connection. */
    public synchronized void setUnwritten(ByteBuffer bytes) {
        this.unwritten = copy(bytes);
    }

    /** The bytes produced but not written: in the successor, replies the predecessor still owed. */
    public synchronized ByteBuffer unwritten() {
        return unwritten.asReadOnlyBuffer();
    }

    synchronized byte[] unreadBytes() {
        return bytesOf(unread);
    }

    synchronized byte[] unwrittenBytes() {
        return bytesOf(unwritten);
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes.duplicate()).flip();
        return copy;
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Open until closed: the JDK channel's state, or for a raw descriptor, until {@link #close()} here. */
    @Override
    public synchronized boolean isOpen() {
        return channel != null ? channel.isOpen() : !closed;
    }

    /** Closes the socket: the JDK channel, or the raw descriptor (once). */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Libc.close(descriptor);
    }

    @Override
    public String toString() {
        return "TcpConnection[" + (channel != null ? channel : "fd " + descriptor) + ", " + unread.remaining() + " unread, "
                + unwritten.remaining() + " unwritten bytes]";
    }
}
