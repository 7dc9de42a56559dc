package io.luo4j.linux;

import io.luo4j.Handover;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.handover.TransportWarmup;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One complete live update, inside this process, on throwaway resources: a memfd, a listener and
 * a connection are preserved, frozen, written to an image, loaded by a second orchestrator,
 * retrieved and finished; the transport runs once too. Every class the real upgrade needs is then
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
            for (int round = 0; round < ROUNDS; round++) {
                oneUpgrade(registerBuiltIns);
                TransportWarmup.run(directory);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "warm-up skipped: " + e);
        }
    }

    private static void oneUpgrade(Consumer<LiveUpdateOrchestrator> registerBuiltIns) throws IOException {
        LiveUpdateOrchestrator predecessor = LiveUpdateOrchestrator.create();
        registerBuiltIns.accept(predecessor);
        List<AutoCloseable> owned = new ArrayList<>();
        try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Session session = predecessor.createSession("warmup");
            session.preserve(0, listener);
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
            successor.loadIncoming(handover);
            Session in = successor.retrieveSession("warmup");
            for (long token : in.tokens()) {
                // in one process the successor's objects own the very descriptors the predecessor sent;
                // closing them (below) is their last close: nothing else closes those numbers
                owned.add((AutoCloseable) in.retrieve(token));
            }
            in.finish();
        } finally {
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
