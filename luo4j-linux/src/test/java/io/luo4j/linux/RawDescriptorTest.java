package io.luo4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connections over raw descriptors, for libraries that do their own I/O on descriptors (Netty's
 * epoll transport): {@link TcpConnection#ofDescriptor} travels as a raw descriptor with its bytes
 * and comes back as one; what is not a connected TCP socket is refused; and
 * {@link LiveUpdate#duplicate} gives the caller a descriptor of its own for a JDK channel luo4j
 * preserves. Handed over inside one JVM, as {@code BuiltInHandlersTest} does.
 */
class RawDescriptorTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    private <T extends AutoCloseable> T track(T resource) {
        cleanup.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private static LiveUpdateOrchestrator withBuiltIns() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        LiveUpdate.descriptorHandlers().forEach(luo::registerHandler);
        return luo;
    }

    /** The descriptor under a JDK socket channel, as the built-in handlers find it. */
    private static int fd(SocketChannel channel) {
        return new ConnectionHandler().descriptorOf(channel);
    }

    private static int fd(ServerSocketChannel channel) {
        return ListenerHandler.tcp().descriptorOf(channel);
    }

    private ServerSocketChannel listener() throws Exception {
        return track(ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    }

    @Test
    void aConnectionOverARawDescriptorComesBackAsARawDescriptorOfTheSameSocketWithItsBytes() throws Exception {
        ServerSocketChannel server = listener();
        SocketChannel client = track(SocketChannel.open(server.getLocalAddress()));
        SocketChannel accepted = track(server.accept());
        int raw = Descriptors.dup(fd(accepted)); // the library's own descriptor
        TcpConnection connection = TcpConnection.ofDescriptor(raw);
        assertTrue(connection.isRawDescriptor());
        assertEquals(raw, connection.descriptor());
        assertEquals(Errno.EOPNOTSUPP, assertThrows(LiveUpdateException.class, connection::channel).reason());

        LiveUpdateOrchestrator luo = withBuiltIns();
        luo.createSession("raw").preserve(1, connection);
        connection.setUnread(ByteBuffer.wrap("GET /ha".getBytes(StandardCharsets.US_ASCII)));
        connection.setUnwritten(ByteBuffer.wrap("HTTP/1.1 2".getBytes(StandardCharsets.US_ASCII)));
        connection.close(); // the library closes its descriptor: luo4j's own reference travels
        assertFalse(Descriptors.isOpen(raw) && Descriptors.inode(raw) == Descriptors.inode(fd(accepted)));

        LiveUpdateOrchestrator next = withBuiltIns();
        next.loadIncoming(luo.upgrade());
        TcpConnection after = track(next.retrieveSession("raw").retrieve(1, TcpConnection.class));
        assertTrue(after.isRawDescriptor());
        assertEquals(Descriptors.inode(fd(accepted)), Descriptors.inode(after.descriptor()), "the same socket");
        assertEquals("GET /ha", StandardCharsets.US_ASCII.decode(after.unread()).toString());
        assertEquals("HTTP/1.1 2", StandardCharsets.US_ASCII.decode(after.unwritten()).toString());
        assertTrue(after.isOpen());
        int received = after.descriptor();
        after.close();
        after.close(); // once
        assertFalse(after.isOpen());
        assertFalse(Descriptors.isOpen(received) && Descriptors.inode(received) == Descriptors.inode(fd(accepted)));
        client.write(ByteBuffer.wrap(new byte[] {1})); // the socket itself lives on in the JDK channel
        ByteBuffer one = ByteBuffer.allocate(1);
        assertEquals(1, accepted.read(one));
    }

    @Test
    void ofDescriptorRefusesWhatIsNotAConnectedTcpSocket() throws Exception {
        ServerSocketChannel server = listener();
        assertEquals(Errno.EINVAL, assertThrows(LiveUpdateException.class, () -> TcpConnection.ofDescriptor(fd(server))).reason());
        Memfd memfd = track(Memfd.create("not-a-socket", 16));
        assertEquals(Errno.EINVAL, assertThrows(LiveUpdateException.class, () -> TcpConnection.ofDescriptor(memfd.fd())).reason());
        assertEquals(Errno.EBADF, assertThrows(LiveUpdateException.class, () -> TcpConnection.ofDescriptor(-1)).reason());
        int closed = Descriptors.dup(memfd.fd());
        Descriptors.close(closed);
        assertEquals(Errno.EBADF, assertThrows(LiveUpdateException.class, () -> TcpConnection.ofDescriptor(closed)).reason());
    }

    @Test
    void duplicateGivesTheCallerItsOwnDescriptorOfTheSameFile() throws Exception {
        ServerSocketChannel server = listener();
        int copy = LiveUpdate.duplicate(server);
        assertNotEquals(fd(server), copy);
        assertEquals(Descriptors.inode(fd(server)), Descriptors.inode(copy));
        Descriptors.close(copy); // the caller's to close: the channel stays open and listening
        assertTrue(server.isOpen() && Descriptors.isOpen(fd(server)));
        track(SocketChannel.open(server.getLocalAddress()));
        track(server.accept());

        Memfd memfd = track(Memfd.create("dup", 16));
        int memfdCopy = LiveUpdate.duplicate(memfd);
        assertEquals(memfd.inode(), Descriptors.inode(memfdCopy));
        Descriptors.close(memfdCopy);

        SocketChannel closed = SocketChannel.open();
        closed.close();
        assertEquals(Errno.EBADF, assertThrows(LiveUpdateException.class, () -> LiveUpdate.duplicate(closed)).reason());
    }
}
