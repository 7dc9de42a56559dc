package io.luo4j.linux;

import io.luo4j.Handover;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.handover.HandoverRehearsal;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One complete live update, inside this process, on throwaway resources: a memfd, a listener and
 * a connection are preserved, frozen, written to an image, loaded by a second orchestrator,
 * retrieved and finished; then the handover conversation itself is rehearsed. Every class the real upgrade needs is then
 * loaded and linked, and its code has run: the freeze, and the successor's take-over, no longer pay
 * for that while the service is paused. It takes some tens of milliseconds at start-up; a successor
 * runs it while its predecessor still serves.
 */
final class Warmup {
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux");
    private static final int ROUNDS = 4;
    /** Enough files per round that the per-file paths are compiled by the JIT, not interpreted, by the upgrade. */
    private static final int MEMFDS = 250;
    private static final int CONNECTIONS = 25;

    private Warmup() {}

    /** Runs the warm-up; a failure is logged and ignored (it only costs speed). */
    static void run(Path directory, Consumer<LiveUpdateOrchestrator> registerBuiltIns) {
        // the first String.format and the logging backend's start cost tens of milliseconds: not during an upgrade
        LOG.log(Level.DEBUG, String.format(Locale.ROOT, "luo4j warm-up %s %d %.1f", directory, ROUNDS, 1.0));
        try {
            Handover last = null;
            for (int round = 0; round < ROUNDS; round++) {
                last = oneUpgrade(registerBuiltIns);
            }
            try (Memfd memfd = Memfd.create("luo4j-rehearsal", 0)) {
                int[] descriptors = new int[8];
                java.util.Arrays.fill(descriptors, memfd.fd());
                HandoverRehearsal.run(directory, new Handover(last.image(), descriptors, last.generation()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "warm-up skipped: " + e);
        }
        awaitQuiet();
    }

    /**
     * Waits (at most 5 s) until this JVM is quiet: under a tenth of a core for 50 ms. The warm-up
     * queued the compilation of everything it ran; on a machine with few cores those compiler
     * threads would otherwise take the CPU from the upgrade itself. (The JIT's own statistics only
     * move when a compilation ends, so they cannot tell a long compilation from an idle compiler;
     * the process's CPU time can.)
     */
    private static void awaitQuiet() {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)) {
            return;
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            long cpu = os.getProcessCpuTime();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (os.getProcessCpuTime() - cpu < 5_000_000L) {
                return;
            }
        }
    }

    /** One throwaway live update; returns its handover (whose descriptors are already closed). */
    private static Handover oneUpgrade(Consumer<LiveUpdateOrchestrator> registerBuiltIns) throws IOException {
        LiveUpdateOrchestrator predecessor = LiveUpdateOrchestrator.create();
        registerBuiltIns.accept(predecessor);
        List<AutoCloseable> owned = new ArrayList<>();
        Path unixPath = Files.createTempDirectory("luo4j-warmup").resolve("u.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(unixPath))) {
            Session session = predecessor.createSession("warmup");
            session.preserve(0, listener);
            session.preserve(-1, unix);
            for (int i = 1; i <= MEMFDS; i++) {
                Memfd memfd = Memfd.create("luo4j-warmup", 4096);
                owned.add(memfd);
                session.preserve(i, memfd);
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                owned.add(client);
                TcpConnection connection = TcpConnection.of(listener.accept());
                owned.add(connection);
                connection.setUnread(ByteBuffer.wrap(new byte[] {1}));
                session.preserve(MEMFDS + 1 + i, connection);
            }
            Handover handover = predecessor.upgrade();

            LiveUpdateOrchestrator successor = LiveUpdateOrchestrator.create();
            registerBuiltIns.accept(successor);
            ByteBuffer direct = ByteBuffer.allocateDirect(handover.image().remaining()); // as a mapped image arrives
            direct.put(handover.image()).flip();
            successor.loadIncoming(direct, handover.descriptors());
            Session in = successor.retrieveSession("warmup");
            for (long token : in.tokens()) {
                // in one process the successor's objects own the very descriptors the predecessor sent;
                // closing them (below) is their last close: nothing else closes those numbers
                owned.add((AutoCloseable) in.retrieve(token));
            }
            in.finish();
            return handover;
        } finally {
            Files.deleteIfExists(unixPath);
            Files.deleteIfExists(unixPath.getParent());
            for (AutoCloseable closeable : owned) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // a retrieved duplicate may share its descriptor with a closed original: both are gone
                }
            }
        }
    }
}
