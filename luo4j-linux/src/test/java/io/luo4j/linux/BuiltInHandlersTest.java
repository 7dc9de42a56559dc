package io.luo4j.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.Errno;
import io.luo4j.Handover;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in handlers with real descriptors, handed over inside one JVM: a predecessor
 * orchestrator upgrades, a fresh successor orchestrator loads the handover with the same
 * descriptor numbers (this process holds them), and each file must come back whole.
 */
class BuiltInHandlersTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** An orchestrator with every built-in handler, as LiveUpdate registers them. */
    private static LiveUpdateOrchestrator withBuiltIns(ArenaHandlers[] arenas) {
        LiveUpdateOrchestrator[] holder = new LiveUpdateOrchestrator[1];
        ArenaHandlers arenaHandlers = new ArenaHandlers(() -> holder[0]);
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        holder[0] = luo;
        luo.registerHandler(new MemfdHandler());
        luo.registerHandler(ListenerHandler.tcp());
        luo.registerHandler(ListenerHandler.unix());
        luo.registerHandler(new ConnectionHandler());
        luo.registerHandler(new RegularFileHandler());
        luo.registerHandler(arenaHandlers.regionHandler());
        luo.registerFlb(arenaHandlers.regionHandler(), arenaHandlers.flb());
        if (arenas != null) {
            arenas[0] = arenaHandlers;
        }
        return luo;
    }

    private static LiveUpdateOrchestrator withBuiltIns() {
        return withBuiltIns(null);
    }

    private static LiveUpdateOrchestrator successorOf(Handover handover) {
        LiveUpdateOrchestrator next = withBuiltIns();
        next.loadIncoming(handover);
        return next;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        cleanup.add(closeable);
        return closeable;
    }

    @Test
    void scenario56_aMemfdKeepsItsContentsSizeAndPositionAndItsSizeIsFrozenWhilePreserved() {
        LiveUpdateOrchestrator luo = withBuiltIns();
        Memfd memfd = track(Memfd.create("state", 8192));
        memfd.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)));
        Session s = luo.createSession("s");
        s.preserve(1, memfd);
        LiveUpdateException grow = assertThrows(LiveUpdateException.class, () -> memfd.resize(16384));
        assertEquals(Errno.EPERM, grow.reason());
        assertTrue(grow.getMessage().contains("frozen"), grow.getMessage());
        assertEquals(Errno.EPERM, assertThrows(LiveUpdateException.class, () -> memfd.resize(4096)).reason());
        memfd.position(8190);
        assertEquals(Errno.EPERM, assertThrows(LiveUpdateException.class,
                () -> memfd.write(ByteBuffer.wrap(new byte[3]))).reason(), "writing past the end would grow it");
        memfd.position(100);
        memfd.write(ByteBuffer.wrap("within".getBytes(StandardCharsets.UTF_8)));
        long position = memfd.position();
        long checksum = memfd.checksum();

        LiveUpdateOrchestrator next = successorOf(luo.upgrade());
        Memfd after = track(next.retrieveSession("s").retrieve(1, Memfd.class));
        assertEquals(8192, after.size());
        assertEquals(position, after.position());
        assertEquals(checksum, after.checksum());
        assertEquals(memfd.inode(), after.inode(), "the same file: the pages were not copied");
        after.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) 'J');
        assertEquals('J', memfd.segment().get(ValueLayout.JAVA_BYTE, 0), "one set of pages, two mappings");
        after.resize(16384); // the successor's memfd is not frozen
    }

    @Test
    void scenario56_closingTheSessionThawsTheMemfdAndReleasesTheReference() {
        LiveUpdateOrchestrator luo = withBuiltIns();
        Memfd memfd = track(Memfd.create("state", 4096));
        Session s = luo.createSession("s");
        s.preserve(1, memfd);
        int reference;
        try (var upgrade = luo.prepareUpgrade()) {
            reference = upgrade.handover().descriptors()[0];
            assertTrue(Descriptors.isOpen(reference));
        } // rolled back
        s.close();
        assertFalse(Descriptors.isOpen(reference), "unpreserve closed the orchestrator's duplicate");
        memfd.resize(8192);
    }

    @Test
    void aMemfdResizedBehindLuo4jsBackFailsTheFreezeCleanlyAndTheServiceGoesOn() throws Exception {
        LiveUpdateOrchestrator luo = withBuiltIns();
        Memfd memfd = track(Memfd.create("state", 4096));
        luo.createSession("s").preserve(1, memfd);
        Path raw = Path.of("/proc/self/fd/" + memfd.fd()); // another way to the same memfd, as another process would have
        try (FileChannel other = FileChannel.open(raw, StandardOpenOption.WRITE)) {
            other.truncate(1024);
        }
        LiveUpdateException refused = assertThrows(LiveUpdateException.class, luo::prepareUpgrade);
        assertEquals(Errno.EBUSY, refused.reason());
        assertTrue(refused.getMessage().contains("resized it behind luo4j's back"), refused.getMessage());

        try (FileChannel other = FileChannel.open(raw, StandardOpenOption.WRITE)) {
            other.write(ByteBuffer.wrap(new byte[1]), 4095); // back to the size it was preserved with
        }
        assertEquals(1, luo.upgrade().descriptors().length, "nothing stayed frozen: the next upgrade goes through");
    }

    @Test
    void aMemfdClosedByTheApplicationAfterPreserveStillTravelsWhole() {
        LiveUpdateOrchestrator luo = withBuiltIns();
        Memfd memfd = Memfd.create("given away", 4096);
        memfd.putLong(8, 0x1234_5678_9ABCL);
        memfd.position(40);
        memfd.addSeals(Descriptors.F_SEAL_SHRINK);
        luo.createSession("s").preserve(1, memfd);
        memfd.close(); // the orchestrator's reference keeps the file, as the kernel's does

        LiveUpdateOrchestrator next = successorOf(luo.upgrade());
        Memfd after = track(next.retrieveSession("s").retrieve(1, Memfd.class));
        assertEquals("given away", after.name());
        assertEquals(4096, after.size());
        assertEquals(40, after.position());
        assertEquals(Descriptors.F_SEAL_SHRINK, after.seals() & Descriptors.F_SEAL_SHRINK);
        assertEquals(0x1234_5678_9ABCL, after.getLong(8));
    }

    @Test
    void scenario53_aDuplicateOfAPreservedMemfdIsEbusy() {
        LiveUpdateOrchestrator luo = withBuiltIns();
        Memfd memfd = track(Memfd.create("state", 4096));
        Memfd second = track(Memfd.adopt("second view", Descriptors.dup(memfd.fd())));
        luo.createSession("a").preserve(1, memfd);
        assertEquals(Errno.EBUSY, assertThrows(LiveUpdateException.class, () -> luo.createSession("b").preserve(1, second)).reason());
    }

    @Test
    void aTcpListenerKeepsItsAcceptQueue() throws Exception {
        LiveUpdateOrchestrator luo = withBuiltIns();
        ServerSocketChannel listener = track(ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16));
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        luo.createSession("l").preserve(1, listener);
        Handover handover = luo.upgrade();
        listener.close(); // the predecessor's channel goes away; the socket lives on
        SocketChannel early = track(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));

        LiveUpdateOrchestrator next = successorOf(handover);
        ServerSocketChannel retrieved = track(next.retrieveSession("l").retrieve(1, ServerSocketChannel.class));
        assertEquals(port, ((InetSocketAddress) retrieved.getLocalAddress()).getPort());
        SocketChannel accepted = track(retrieved.accept());
        assertNotNull(accepted, "the connection made during the upgrade waited in the queue");
        early.write(ByteBuffer.wrap(new byte[] {42}));
        ByteBuffer one = ByteBuffer.allocate(1);
        accepted.read(one);
        assertEquals(42, one.get(0));
    }

    @Test
    void aTcpConnectionCarriesItsUnreadBytes() throws Exception {
        ServerSocketChannel server = track(ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        SocketChannel client = track(SocketChannel.open(server.getLocalAddress()));
        SocketChannel accepted = track(server.accept());
        LiveUpdateOrchestrator luo = withBuiltIns();
        TcpConnection connection = TcpConnection.of(accepted);
        luo.createSession("c").preserve(1, connection);
        luo.createSession("plain").preserve(1, client);
        connection.setUnread(ByteBuffer.wrap("GET ha".getBytes(StandardCharsets.UTF_8))); // after preserve: freeze carries it
        connection.setUnwritten(ByteBuffer.wrap("+OK\r\n".getBytes(StandardCharsets.UTF_8)));

        LiveUpdateOrchestrator next = successorOf(luo.upgrade());
        TcpConnection after = next.retrieveSession("c").retrieve(1, TcpConnection.class);
        track(after.channel());
        assertEquals("GET ha", StandardCharsets.UTF_8.decode(after.unread()).toString());
        assertEquals("+OK\r\n", StandardCharsets.UTF_8.decode(after.unwritten()).toString());
        assertEquals(client.getLocalAddress(), after.channel().getRemoteAddress());
        SocketChannel plain = track(next.retrieveSession("plain").retrieve(1, SocketChannel.class));
        plain.write(ByteBuffer.wrap("sh\n".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer rest = ByteBuffer.allocate(3);
        while (rest.hasRemaining()) {
            after.channel().read(rest);
        }
        assertEquals("sh\n", new String(rest.array(), StandardCharsets.UTF_8));
    }

    @Test
    void megabytesInFlightTravelBesideTheImageAndNeitherSwellNorBlockTheUpgrade() throws Exception {
        ServerSocketChannel server = track(ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        track(SocketChannel.open(server.getLocalAddress()));
        TcpConnection connection = TcpConnection.of(track(server.accept()));
        LiveUpdateOrchestrator luo = withBuiltIns();
        luo.createSession("c").preserve(1, connection);
        byte[] unread = new byte[17 << 20]; // past the 16 MiB an image entry may hold
        new java.util.Random(7).nextBytes(unread);
        byte[] unwritten = "+OK\r\n".repeat(40_000).getBytes(StandardCharsets.US_ASCII);
        connection.setUnread(ByteBuffer.wrap(unread));
        connection.setUnwritten(ByteBuffer.wrap(unwritten));

        int beside;
        try (var rolledBack = luo.prepareUpgrade()) {
            assertTrue(rolledBack.handover().image().remaining() < 4096, "the bytes are not in the image");
            assertEquals(2, rolledBack.handover().descriptors().length, "the connection and the memfd beside it");
            beside = rolledBack.handover().descriptors()[1];
            assertTrue(Descriptors.isOpen(beside));
        }
        assertFalse(Descriptors.isOpen(beside), "a rollback closes the memfd that freeze made");

        Handover handover = luo.upgrade();
        LiveUpdateOrchestrator next = successorOf(handover);
        TcpConnection after = next.retrieveSession("c").retrieve(1, TcpConnection.class);
        track(after.channel());
        byte[] carried = new byte[after.unread().remaining()];
        after.unread().get(carried);
        assertArrayEquals(unread, carried);
        assertEquals(unwritten.length, after.unwritten().remaining());
        assertFalse(Descriptors.isOpen(handover.descriptors()[1]), "the successor read the memfd and closed it");
    }

    @Test
    void aUnixListenerComesBackAsAUnixServerSocketChannel() throws Exception {
        Path path = dir.resolve("u.sock");
        ServerSocketChannel listener = track(ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path)));
        LiveUpdateOrchestrator luo = withBuiltIns();
        luo.createSession("u").preserve(1, listener);
        LiveUpdateOrchestrator next = successorOf(luo.upgrade());
        ServerSocketChannel after = track(next.retrieveSession("u").retrieve(1, ServerSocketChannel.class));
        assertEquals(UnixDomainSocketAddress.of(path), after.getLocalAddress());
        track(SocketChannel.open(UnixDomainSocketAddress.of(path)));
        assertNotNull(track(after.accept()));
    }

    @Test
    void aRegularFileKeepsItsPathFlagsAndPosition() throws Exception {
        Path path = dir.resolve("log.txt");
        FileChannel file = track(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        file.write(ByteBuffer.wrap("one\n".getBytes(StandardCharsets.UTF_8)));
        LiveUpdateOrchestrator luo = withBuiltIns();
        luo.createSession("f").preserve(1, file);
        LiveUpdateOrchestrator next = successorOf(luo.upgrade());
        FileChannel after = track(next.retrieveSession("f").retrieve(1, FileChannel.class));
        assertEquals(4, after.position());
        after.write(ByteBuffer.wrap("two\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("one\ntwo\n", Files.readString(path));
        assertTrue((Descriptors.flags(Descriptors.of(after)) & Descriptors.O_APPEND) != 0, "still O_APPEND");
    }

    /** Preserves {@code file} in a fresh orchestrator and returns it as the successor retrieves it. */
    private FileChannel handedOver(FileChannel file) {
        LiveUpdateOrchestrator luo = withBuiltIns();
        luo.createSession("f").preserve(1, file);
        LiveUpdateOrchestrator next = successorOf(luo.upgrade());
        return track(next.retrieveSession("f").retrieve(1, FileChannel.class));
    }

    @Test
    void aRegularFileKeepsItsAccessMode() throws Exception {
        Path path = dir.resolve("modes.txt");
        Files.writeString(path, "abc");
        FileChannel readOnly = handedOver(track(FileChannel.open(path, StandardOpenOption.READ)));
        assertEquals(3, readOnly.read(ByteBuffer.allocate(8)));
        assertThrows(NonWritableChannelException.class, () -> readOnly.write(ByteBuffer.wrap(new byte[1])));
        FileChannel writeOnly = handedOver(track(FileChannel.open(path, StandardOpenOption.WRITE)));
        assertThrows(NonReadableChannelException.class, () -> writeOnly.read(ByteBuffer.allocate(1)));
        assertEquals(1, writeOnly.write(ByteBuffer.wrap("X".getBytes(StandardCharsets.UTF_8))));
        assertEquals("Xbc", Files.readString(path));
    }

    @Test
    void aRegularFileWhosePathIsDeletedCarriesOverAsTheSameOpenFile() throws Exception {
        Path path = dir.resolve("scratch.txt");
        FileChannel file = track(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
        file.write(ByteBuffer.wrap("kept".getBytes(StandardCharsets.UTF_8)));
        Files.delete(path); // deleted but open: legitimate, the data lives while a descriptor does
        FileChannel after = handedOver(file);
        assertEquals(RegularFileHandler.PathStatus.GONE, RegularFileHandler.pathStatus(Descriptors.of(after), path.toString()));
        ByteBuffer read = ByteBuffer.allocate(8);
        assertEquals(4, after.read(read, 0));
        assertEquals("kept", new String(read.array(), 0, 4, StandardCharsets.UTF_8));
        assertFalse(Files.exists(path));
    }

    @Test
    void aRegularFileWhosePathWasRenamedOverCarriesOverAsTheFileThePredecessorHadOpen() throws Exception {
        Path path = dir.resolve("rotated.log");
        FileChannel file = track(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        LiveUpdateOrchestrator luo = withBuiltIns();
        luo.createSession("f").preserve(1, file);
        Handover handover = luo.upgrade(); // the path is recorded at freeze
        Path replacement = Files.writeString(dir.resolve("new.log"), "new file");
        Files.move(replacement, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        FileChannel after = track(successorOf(handover).retrieveSession("f").retrieve(1, FileChannel.class));
        int fd = Descriptors.of(after);
        assertEquals(RegularFileHandler.PathStatus.OTHER_FILE, RegularFileHandler.pathStatus(fd, path.toString()));
        after.write(ByteBuffer.wrap("old".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new file", Files.readString(path), "the write went to the file the predecessor had open");
        assertEquals(Descriptors.inode(Descriptors.of(file)), Descriptors.inode(fd));
    }

    @Test
    void thePathCheckSaysWhetherTheRecordedPathNamesTheReceivedFile() throws Exception {
        Path path = Files.writeString(dir.resolve("same.txt"), "x");
        FileChannel file = track(FileChannel.open(path, StandardOpenOption.READ));
        int fd = Descriptors.of(file);
        assertEquals(RegularFileHandler.PathStatus.SAME_FILE, RegularFileHandler.pathStatus(fd, path.toString()));
        assertEquals(RegularFileHandler.PathStatus.UNKNOWN, RegularFileHandler.pathStatus(fd, ""));
        assertEquals(RegularFileHandler.PathStatus.GONE, RegularFileHandler.pathStatus(fd, path + " (deleted)"));
        assertEquals(RegularFileHandler.PathStatus.OTHER_FILE,
                RegularFileHandler.pathStatus(fd, Files.writeString(dir.resolve("other.txt"), "y").toString()));
    }

    @Test
    void regionsOfOneArenaShareOneFlbAndOneDescriptor() {
        ArenaHandlers[] arenas = new ArenaHandlers[1];
        LiveUpdateOrchestrator luo = withBuiltIns(arenas);
        MemoryArena arena = track(MemoryArena.create("arena", 1 << 20));
        arenas[0].useArena(arena);
        Session s = luo.createSession("regions");
        for (int i = 0; i < 5; i++) {
            ArenaRegion region = arena.allocate(10_000);
            region.segment().set(ValueLayout.JAVA_INT_UNALIGNED, 0, 1000 + i);
            s.preserve(i, region);
        }
        assertEquals(5, luo.status().flbs().get(0).users());
        luo.status().outgoing().get(0).files().forEach(f -> assertEquals(0, f.descriptors(), "a region sends no descriptor"));
        Handover handover = luo.upgrade();
        assertEquals(1, handover.descriptors().length, "five regions, one descriptor: the arena's");

        LiveUpdateOrchestrator next = successorOf(handover);
        Session in = next.retrieveSession("regions");
        for (int i = 4; i >= 0; i--) {
            ArenaRegion region = in.retrieve(i, ArenaRegion.class);
            assertEquals(1000 + i, region.segment().get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        }
        MemoryArena after = track(in.retrieve(0, ArenaRegion.class).arena());
        assertEquals(arena.memfd().inode(), after.memfd().inode());
        assertEquals(arena.used(), after.used());
        in.finish();
    }

    @Test
    void aRegionOfAnotherArenaIsRefused() {
        ArenaHandlers[] arenas = new ArenaHandlers[1];
        LiveUpdateOrchestrator luo = withBuiltIns(arenas);
        arenas[0].useArena(track(MemoryArena.create("main", 1 << 16)));
        MemoryArena other = track(MemoryArena.create("other", 1 << 16));
        assertEquals(Errno.EINVAL, assertThrows(LiveUpdateException.class,
                () -> luo.createSession("s").preserve(1, other.allocate(100))).reason());
    }

    @Test
    void nothingAcceptsAClosedChannelOrAForeignObject() throws IOException {
        LiveUpdateOrchestrator luo = withBuiltIns();
        ServerSocketChannel closed = ServerSocketChannel.open();
        closed.close();
        Session s = luo.createSession("s");
        assertEquals(Errno.EBADF, assertThrows(LiveUpdateException.class, () -> s.preserve(1, closed)).reason());
        ServerSocketChannel unbound = track(ServerSocketChannel.open());
        assertEquals(Errno.ENOENT, assertThrows(LiveUpdateException.class, () -> s.preserve(2, unbound)).reason());
        assertEquals(Errno.ENOENT, assertThrows(LiveUpdateException.class, () -> s.preserve(3, "text")).reason());
    }

    @Test
    void aFileNobodyRetrievesIsClosedAtFinish() {
        LiveUpdateOrchestrator luo = withBuiltIns();
        Memfd memfd = track(Memfd.create("unclaimed", 4096));
        luo.createSession("s").preserve(1, memfd);
        Handover handover = luo.upgrade();
        int received = handover.descriptors()[0];
        LiveUpdateOrchestrator next = successorOf(handover);
        next.retrieveSession("s").finish();
        assertFalse(Descriptors.isOpen(received), "finish gave the unretrieved memfd up");
        assertArrayEquals(new int[] {received}, handover.descriptors());
    }
}
