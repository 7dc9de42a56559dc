package io.luo4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.FileIdentity;
import io.luo4j.linux.internal.JdkChannels;
import io.luo4j.linux.internal.Libc;
import io.luo4j.linux.internal.PeerCredentials;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM bindings against the real kernel: memfd, SCM_RIGHTS, SO_PEERCRED, JDK channel adoption. */
class LinuxBindingsTest {
    @TempDir
    Path dir;

    @Test
    void memfdsAreSharedMemoryWithAnIdentityThatDupsShare() {
        try (Memfd memfd = Memfd.create("test", 8192)) {
            memfd.putLong(8, 0x1122334455667788L);
            int dup = Libc.dupCloexec(memfd.fd());
            try {
                assertEquals(memfd.inode(), FileIdentity.of(dup).inode());
                try (Memfd second = Memfd.adopt("second", dup)) {
                    assertEquals(0x1122334455667788L, second.getLong(8), "the same pages, seen through another mapping");
                    second.putLong(16, 42);
                    assertEquals(42, memfd.getLong(16));
                }
            } finally {
                assertFalse(Libc.isOpen(dup), "adopt took the descriptor over and close closed it");
            }
            try (Memfd other = Memfd.create("other", 4096)) {
                assertNotEquals(memfd.inode(), other.inode());
            }
        }
    }

    @Test
    void aPreservedMemfdHasAFrozenSize() {
        try (Memfd memfd = Memfd.create("frozen", 4096)) {
            memfd.freezeSize(true);
            assertEquals(Errno.EPERM, assertThrows(LiveUpdateException.class, () -> memfd.resize(8192)).reason());
            memfd.position(4000);
            memfd.write(ByteBuffer.wrap(new byte[96]));
            assertEquals(Errno.EPERM, assertThrows(LiveUpdateException.class, () -> memfd.write(ByteBuffer.wrap(new byte[1]))).reason());
            assertEquals(4096, memfd.size());
            memfd.freezeSize(false);
            memfd.write(ByteBuffer.wrap("grow".getBytes(StandardCharsets.UTF_8)));
            assertEquals(4100, memfd.size());
        }
    }

    @Test
    void descriptorsTravelOverSeqpacketWithPeerCredentials() throws Exception {
        Path path = dir.resolve("h.sock");
        try (SeqpacketSocket listener = SeqpacketSocket.listen(path);
                SeqpacketSocket client = SeqpacketSocket.connect(path);
                SeqpacketSocket server = listener.accept(5000);
                Memfd memfd = Memfd.create("sent", 4096)) {
            assertNotNull(server);
            PeerCredentials peer = server.peer();
            assertEquals(ProcessHandle.current().pid(), peer.pid());
            assertEquals(Libc.getuid(), peer.uid());
            memfd.putLong(0, 7);
            int[] many = new int[Libc.SCM_MAX_FD];
            for (int i = 0; i < many.length; i++) {
                many[i] = memfd.fd();
            }
            client.send("hello".getBytes(StandardCharsets.UTF_8), many);
            SeqpacketSocket.Message message = server.receive(5000);
            assertEquals("hello", new String(message.payload(), StandardCharsets.UTF_8));
            assertEquals(Libc.SCM_MAX_FD, message.fds().length);
            for (int fd : message.fds()) {
                assertEquals(memfd.inode(), FileIdentity.of(fd).inode());
                assertEquals(Libc.FD_CLOEXEC, Libc.fcntl(fd, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC, "received close-on-exec");
            }
            SeqpacketSocket.closeAll(message.fds());
            assertThrows(LiveUpdateException.class, () -> client.send(new byte[1], new int[Libc.SCM_MAX_FD + 1]));
            assertNull(server.receive(50), "nothing more: a timeout, not an error");
            client.close();
            assertEquals(Errno.ECONNRESET, assertThrows(LiveUpdateException.class, () -> server.receive(5000)).reason());
        }
    }

    @Test
    void aListenerDescriptorBecomesAJdkServerSocketChannelThatSelectorsAccept() throws Exception {
        try (ServerSocketChannel original = ServerSocketChannel.open()) {
            original.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            int port = ((InetSocketAddress) original.getLocalAddress()).getPort();
            int dup = Libc.dupCloexec(JdkChannels.fdOf(original));
            int domain = Libc.getsockoptInt(dup, Libc.SOL_SOCKET, Libc.SO_DOMAIN);
            StandardProtocolFamily family = domain == Libc.AF_INET6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
            try (ServerSocketChannel adopted = JdkChannels.serverSocket(dup, family);
                    Selector selector = Selector.open();
                    SocketChannel client = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                assertEquals(port, ((InetSocketAddress) adopted.getLocalAddress()).getPort());
                adopted.configureBlocking(false);
                adopted.register(selector, SelectionKey.OP_ACCEPT);
                assertTrue(selector.select(5000) > 0);
                try (SocketChannel accepted = adopted.accept()) {
                    assertNotNull(accepted);
                    client.write(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
                    accepted.configureBlocking(true);
                    ByteBuffer one = ByteBuffer.allocate(1);
                    assertEquals(1, accepted.read(one));
                }
            }
            assertTrue(original.isOpen(), "the original stays open beside the adopted duplicate");
        }
    }

    @Test
    void socketPathsThatAreTooLongAreRefusedClearly() {
        Path longPath = dir.resolve("x".repeat(120));
        LiveUpdateException e = assertThrows(LiveUpdateException.class, () -> SeqpacketSocket.listen(longPath));
        assertEquals(Errno.ENAMETOOLONG, e.reason());
        assertFalse(Files.exists(longPath));
    }
}
