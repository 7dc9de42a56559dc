package io.luo4j.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;

/**
 * An established connection and the bytes the application has read from it but not handled yet.
 *
 * <p>Preserve one (built-in handler {@code tcp-connection-v1}) and it reaches the successor open,
 * with everything in flight: bytes still in the kernel's buffers stay with the socket, and bytes
 * already read into the application are carried as {@link #unread()}. Before an upgrade freezes,
 * the service calls {@link #setUnread} with whatever partial request it holds; the successor handles
 * {@link #unread()} first, then reads on.
 */
public final class TcpConnection implements Channel {
    private final SocketChannel channel;
    private ByteBuffer unread;

    private TcpConnection(SocketChannel channel, ByteBuffer unread) {
        this.channel = channel;
        this.unread = unread;
    }

    /** A connection with no unread bytes yet. */
    public static TcpConnection of(SocketChannel channel) {
        return new TcpConnection(channel, ByteBuffer.allocate(0));
    }

    static TcpConnection of(SocketChannel channel, byte[] unread) {
        return new TcpConnection(channel, ByteBuffer.wrap(unread));
    }

    public SocketChannel channel() {
        return channel;
    }

    /** Records the bytes read but not yet handled (copied); they travel with the connection. */
    public synchronized void setUnread(ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes.duplicate()).flip();
        this.unread = copy;
    }

    /** The bytes read but not handled: in the successor, what the predecessor had pending. */
    public synchronized ByteBuffer unread() {
        return unread.asReadOnlyBuffer();
    }

    synchronized byte[] unreadBytes() {
        byte[] bytes = new byte[unread.remaining()];
        unread.duplicate().get(bytes);
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
        return "TcpConnection[" + channel + ", " + unread.remaining() + " unread bytes]";
    }
}
