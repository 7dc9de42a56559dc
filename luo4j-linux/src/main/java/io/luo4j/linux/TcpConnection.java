package io.luo4j.linux;

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
 */
public final class TcpConnection implements Channel {
    private final SocketChannel channel;
    private ByteBuffer unread;
    private ByteBuffer unwritten;

    private TcpConnection(SocketChannel channel, ByteBuffer unread, ByteBuffer unwritten) {
        this.channel = channel;
        this.unread = unread;
        this.unwritten = unwritten;
    }

    /** A connection with nothing in flight yet. */
    public static TcpConnection of(SocketChannel channel) {
        return new TcpConnection(channel, ByteBuffer.allocate(0), ByteBuffer.allocate(0));
    }

    static TcpConnection of(SocketChannel channel, byte[] unread, byte[] unwritten) {
        return new TcpConnection(channel, ByteBuffer.wrap(unread), ByteBuffer.wrap(unwritten));
    }

    public SocketChannel channel() {
        return channel;
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

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "TcpConnection[" + channel + ", " + unread.remaining() + " unread, " + unwritten.remaining() + " unwritten bytes]";
    }
}
