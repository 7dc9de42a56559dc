package io.luo4j.linux;

import io.luo4j.Handover;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One complete live update inside this process, on throwaway resources: a predecessor orchestrator
 * (with the built-in handlers) gets what a {@link WarmUp} preserves, upgrades, and a
 * successor orchestrator loads the image (from a direct buffer, as a mapped image arrives) and takes
 * it over with the warm-up's own code; the sessions it retrieved are finished (as a service finishes
 * them once it serves), then any it left alone, and everything is closed.
 * The warm-up runs it so that the real upgrade's code is loaded and compiled before the pause.
 *
 * <p>In one process the successor's objects own the very descriptors the predecessor sent, so each
 * is closed once at the end, and closing a twin that is already gone fails quietly.
 */
final class ThrowawayUpgrade {
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux");

    private ThrowawayUpgrade() {}

    /** Runs one; returns its handover (whose descriptors are closed by then). */
    static Handover run(WarmUp part) throws Exception {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            LiveUpdateOrchestrator predecessor = withBuiltIns();
            part.preserve(predecessor, owned);
            Handover handover = predecessor.upgrade();

            LiveUpdateOrchestrator successor = withBuiltIns();
            ByteBuffer image = ByteBuffer.allocateDirect(handover.image().remaining());
            image.put(handover.image()).flip();
            successor.loadIncoming(image, handover.descriptors());
            for (Session session : part.takeOver(successor, owned)) {
                session.finish();
            }
            for (String name : successor.incomingSessionNames()) {
                successor.retrieveSession(name).finish(); // what the warm-up left alone
            }
            return handover;
        } finally {
            for (int i = owned.size() - 1; i >= 0; i--) {
                closeQuietly(owned.get(i));
            }
        }
    }

    private static LiveUpdateOrchestrator withBuiltIns() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        BuiltInHandlers.forDescriptors().forEach(luo::registerHandler);
        return luo;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(Level.TRACE, "throwaway resource already closed through its twin: " + e);
        }
    }
}
