package io.luo4j.linux;

import io.luo4j.Handover;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.handover.HandoverRehearsal;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Step 2 of {@link LiveUpdate.Builder#start()}: the warm-up. An upgrade runs its code once, during
 * the pause; run cold, that code is interpreted and its classes load on the spot. So start-up runs
 * the same code on throwaway resources first:
 * <ol>
 *   <li>{@value #ROUNDS} throwaway live updates of the built-in file types ({@link ThrowawayUpgrade}):
 *       {@value #MEMFDS} memfds, a TCP and a Unix listener and {@value #CONNECTIONS} connections
 *       preserved, frozen, written to an image, loaded by a second orchestrator, retrieved, finished;</li>
 *   <li>the application's own part ({@link WarmUp}), if it gave one: its sessions and its
 *       real take-over code, as many rounds as it asks;</li>
 *   <li>the handover conversation itself, a hundred times ({@link HandoverRehearsal});</li>
 *   <li>a wait (at most 5 s) until the JIT compilers this queued have gone quiet.</li>
 * </ol>
 * It takes some hundreds of milliseconds; a successor runs it while its predecessor still serves. A
 * failure here only costs speed: it is logged and start-up goes on.
 */
final class WarmUpStep {
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux");
    private static final int ROUNDS = 4;
    /** Enough files per round that the per-file paths are compiled by the JIT, not interpreted, by the upgrade. */
    private static final int MEMFDS = 250;
    private static final int CONNECTIONS = 25;

    private WarmUpStep() {}

    static void run(Path directory, WarmUp application) {
        // the first String.format and the logging backend's start cost tens of milliseconds: not during an upgrade
        LOG.log(Level.DEBUG, String.format(Locale.ROOT, "luo4j warm-up %s %d %.1f", directory, ROUNDS, 1.0));
        try {
            Handover last = null;
            for (int round = 0; round < ROUNDS; round++) {
                last = ThrowawayUpgrade.run(BUILT_IN);
            }
            if (application != null) {
                for (int round = 0; round < application.rounds(); round++) {
                    ThrowawayUpgrade.run(application);
                }
            }
            try (Memfd memfd = Memfd.create("luo4j-rehearsal", 0)) {
                int[] descriptors = new int[8];
                Arrays.fill(descriptors, memfd.fd());
                HandoverRehearsal.run(directory, new Handover(last.image(), descriptors, last.generation()));
            }
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "warm-up skipped: " + e);
        }
        awaitQuiet();
    }

    /** The built-in file types, preserved and taken over as a service would. */
    private static final WarmUp BUILT_IN = new WarmUp() {
        @Override
        public void preserve(LiveUpdateOrchestrator predecessor, List<AutoCloseable> owned) throws IOException {
            Path unixPath = Files.createTempDirectory("luo4j-warmup").resolve("u.sock");
            owned.add(() -> {
                Files.deleteIfExists(unixPath);
                Files.deleteIfExists(unixPath.getParent());
            });
            ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            owned.add(listener);
            ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(unixPath));
            owned.add(unix);
            Session session = predecessor.createSession("warmup");
            session.preserve(0, listener);
            session.preserve(-1, unix);
            for (int i = 1; i <= MEMFDS; i++) {
                Memfd memfd = Memfd.create("luo4j-warmup", 4096);
                owned.add(memfd);
                session.preserve(i, memfd);
            }
            for (int i = 0; i < CONNECTIONS; i++) {
                owned.add(SocketChannel.open(listener.getLocalAddress()));
                TcpConnection connection = TcpConnection.of(listener.accept());
                owned.add(connection);
                connection.setUnread(ByteBuffer.wrap(new byte[] {1}));
                session.preserve(MEMFDS + 1 + i, connection);
            }
        }

        @Override
        public List<Session> takeOver(LiveUpdateOrchestrator successor, List<AutoCloseable> owned) {
            Session in = successor.retrieveSession("warmup");
            for (long token : in.tokens()) {
                owned.add((AutoCloseable) in.retrieve(token));
            }
            return List.of(in);
        }
    };

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
}
