package io.luo4j.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
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

/** The FFM bindings against the real kernel: SCM_RIGHTS, SO_PEERCRED, JDK channel adoption, socket paths. */
class LinuxBindingsTest {
    @TempDir
    Path dir;

    @Test
    void descriptorsTravelOverSeqpacketWithPeerCredentials() throws Exception {
        Path path = dir.resolve("h.sock");
        try (SeqpacketSocket listener = SeqpacketSocket.listen(path);
                SeqpacketSocket client = SeqpacketSocket.connect(path);
                SeqpacketSocket server = listener.accept(5000)) {
            assertNotNull(server);
            PeerCredentials peer = server.peer();
            assertEquals(ProcessHandle.current().pid(), peer.pid());
            assertEquals(Libc.getuid(), peer.uid());
            int memfd = Libc.memfdCreate("sent", Libc.MFD_CLOEXEC);
            long inode = FileIdentity.of(memfd).inode();
            int[] many = new int[Libc.SCM_MAX_FD];
            for (int i = 0; i < many.length; i++) {
                many[i] = memfd;
            }
            client.send("hello".getBytes(StandardCharsets.UTF_8), many);
            SeqpacketSocket.Message message = server.receive(5000);
            assertEquals("hello", new String(message.payload(), StandardCharsets.UTF_8));
            assertEquals(Libc.SCM_MAX_FD, message.fds().length);
            for (int fd : message.fds()) {
                assertEquals(inode, FileIdentity.of(fd).inode());
                assertEquals(Libc.FD_CLOEXEC, Libc.fcntl(fd, Libc.F_GETFD, 0) & Libc.FD_CLOEXEC, "received close-on-exec");
            }
            SeqpacketSocket.closeAll(message.fds());
            assertThrows(LiveUpdateException.class, () -> client.send(new byte[1], new int[Libc.SCM_MAX_FD + 1]));
            assertNull(server.receive(50), "nothing more: a timeout, not an error");
            client.close();
            assertEquals(Errno.ECONNRESET, assertThrows(LiveUpdateException.class, () -> server.receive(5000)).reason());
            Libc.close(memfd);
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
