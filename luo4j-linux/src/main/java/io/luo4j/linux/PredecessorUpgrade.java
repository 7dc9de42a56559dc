package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.Handover;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.PreparedUpgrade;
import io.luo4j.linux.control.UpgradeOutcome;
import io.luo4j.linux.control.UpgradeRequest;
import io.luo4j.linux.handover.HandoverConversation;
import io.luo4j.linux.handover.SuccessorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One upgrade at a time, driven from the predecessor: each step goes down to the part that does it
 * and its outcome comes back here; nothing below calls back up.
 *
 * <ol>
 *   <li>start the successor ({@link SuccessorProcess}); the service serves on while it starts;</li>
 *   <li>await its connection, checked (uid, pid, nonce): a {@link HandoverConversation};</li>
 *   <li>{@link UpgradeHooks#stopTakingWork()}, then freeze ({@link LiveUpdateOrchestrator#prepareUpgrade()});</li>
 *   <li>send the image and the descriptors; await READY;</li>
 *   <li>COMMIT: the successor serves. This process keeps everything, frozen, through the grace
 *       period: the successor must finish its sessions and stay alive (it says ALIVE) that long.
 *       Then {@link PreparedUpgrade#commit()}; the conversation stays open until
 *       {@link #release()}: its close is the successor's signal that this process has retired.</li>
 * </ol>
 *
 * Any failure before the commit rolls back: unfreeze, {@link UpgradeHooks#takeWorkAgain()}, ABORT to
 * the successor, kill it. A successor that dies or falls silent in its grace period is killed and
 * the service taken back: unfreeze, {@link UpgradeHooks#takeServiceBack()}. Two limits bound it: the request's timeout from start to READY (the
 * service serves while the successor starts), and the pause limit from "stop taking work" to READY
 * (the clients wait then; short, about a second). The outcome says which happened, with the
 * timings of each phase.
 */
final class PredecessorUpgrade {
    private final LiveUpdateOrchestrator orchestrator;
    private final Path workDirectory;
    private final SuccessorProcess.ServiceIdentity identity;
    private final AtomicBoolean running = new AtomicBoolean();
    /** The committed upgrade's conversation, open until this process retires. */
    private HandoverConversation committed;

    PredecessorUpgrade(LiveUpdateOrchestrator orchestrator, Path workDirectory, SuccessorProcess.ServiceIdentity identity) {
        this.orchestrator = orchestrator;
        this.workDirectory = workDirectory;
        this.identity = identity;
    }

    /**
     * Runs one upgrade to its end with the successor {@code command}; never throws for a failed
     * upgrade, it reports it. A second call while one runs, or after one committed, is refused (EBUSY).
     */
    UpgradeOutcome run(UpgradeRequest request, UpgradeHooks hooks, Consumer<String> progress) {
        if (!running.compareAndSet(false, true)) {
            return UpgradeOutcome.refused(orchestrator.generation(), Errno.EBUSY, committed != null
                    ? "this process has handed over to its successor: upgrade the successor"
                    : "an upgrade is already in progress: wait for it to commit or roll back");
        }
        UpgradeOutcome outcome = null;
        try {
            outcome = attempt(request, hooks, progress);
            return outcome;
        } finally {
            if (outcome == null || !outcome.committed()) {
                running.set(false);
            }
        }
    }

    private UpgradeOutcome attempt(UpgradeRequest request, UpgradeHooks hooks, Consumer<String> progress) {
        long requested = System.nanoTime();
        SuccessorProcess successor;
        HandoverConversation conversation;
        try {
            successor = SuccessorProcess.start(request.command(), Map.of(), request.timeout(), workDirectory, identity);
        } catch (LiveUpdateException e) {
            progress.accept("upgrade refused before freezing, nothing changed: " + e.getMessage());
            return UpgradeOutcome.refused(orchestrator.generation(), e.reason(), e.detail());
        }
        progress.accept("started successor pid " + successor.pid());
        try {
            conversation = successor.awaitConnection();
        } catch (LiveUpdateException e) {
            successor.stop();
            progress.accept("upgrade refused before freezing, nothing changed: " + e.getMessage());
            return UpgradeOutcome.rolledBack(orchestrator.generation(), e.reason(), e.detail(), successor.pid(), 0,
                    new UpgradeOutcome.Timings(millisSince(requested), 0, 0, 0));
        }
        double startMillis = millisSince(requested);
        progress.accept(String.format("successor connected after %.0f ms; quiescing", startMillis));
        Phases phases = new Phases(startMillis, System.nanoTime());
        boolean keep = false;
        try {
            UpgradeOutcome outcome = handOver(successor, conversation, hooks, request, phases, progress);
            keep = outcome.committed();
            return outcome;
        } finally {
            if (!keep) {
                conversation.close();
            }
        }
    }

    /** Quiesce, freeze, send, await READY, commit; or roll back at the first failure. */
    private UpgradeOutcome handOver(SuccessorProcess successor, HandoverConversation conversation, UpgradeHooks hooks,
            UpgradeRequest request, Phases phases, Consumer<String> progress) {
        Duration pauseLimit = request.pauseLimit();
        PreparedUpgrade upgrade;
        try {
            hooks.stopTakingWork();
            upgrade = orchestrator.prepareUpgrade();
        } catch (RuntimeException e) {
            hooks.takeWorkAgain();
            return rolledBack(successor, conversation, failure(e, "the service could not freeze"), phases, 0, progress);
        }
        Handover handover = upgrade.handover();
        long imageBytes = handover.image().remaining();
        int descriptors = handover.descriptors().length;
        phases.frozen = System.nanoTime();
        progress.accept(String.format("frozen in %.1f ms: image %d bytes, %d descriptors", phases.freezeMillis(), imageBytes, descriptors));
        LiveUpdateException failure;
        try {
            int batches = conversation.send(handover);
            progress.accept("sent the image and " + descriptors + " descriptors in " + batches + " batches; waiting for the successor");
            failure = conversation.awaitReady(phases.quiesced + pauseLimit.toNanos(), pauseLimit.toMillis() + " ms");
        } catch (LiveUpdateException e) {
            failure = e;
        }
        if (failure != null) {
            upgrade.rollback();
            hooks.takeWorkAgain();
            return rolledBack(successor, conversation, failure, phases, imageBytes, progress);
        }
        phases.ready = System.nanoTime();
        // the successor serves as soon as it knows; this process keeps everything, frozen, until
        // the successor has proved itself for the grace period
        conversation.commit();
        double blackout = millisSince(phases.quiesced);
        Duration grace = request.grace();
        progress.accept(String.format("committed generation %d: successor pid %d serves (blackout %.1f ms)%s", handover.generation(),
                successor.pid(), blackout, grace.isZero() ? "" : "; watching it for " + grace.toMillis() + " ms"));
        HandoverConversation.Grace fared = grace.isZero() ? new HandoverConversation.Grace(true, null)
                : conversation.watchGrace(grace, request.timeout(), successor.alive());
        if (fared.failure() != null) {
            return takeBack(successor, upgrade, hooks, fared.failure(), phases.timings(blackout), imageBytes, progress);
        }
        if (!fared.finished()) {
            progress.accept("the successor serves but has not finished every incoming session within " + request.timeout().toSeconds()
                    + " s; letting go anyway");
        } else if (!grace.isZero()) {
            progress.accept("the successor took everything over and lived " + grace.toMillis() + " ms: letting go");
        }
        upgrade.commit();
        committed = conversation;
        return UpgradeOutcome.committed(handover.generation(), successor.pid(), descriptors, imageBytes, phases.timings(blackout));
    }

    /**
     * The successor died or fell silent in its grace period: kill what is left of it, unfreeze, and
     * serve again. The descriptors never left this process and the memfd pages are shared, so the
     * data is current; what the successor had in flight on its connections is gone with it.
     */
    private UpgradeOutcome takeBack(SuccessorProcess successor, PreparedUpgrade upgrade, UpgradeHooks hooks, LiveUpdateException why,
            UpgradeOutcome.Timings timings, long imageBytes, Consumer<String> progress) {
        successor.stop();
        upgrade.rollback();
        hooks.takeServiceBack();
        progress.accept("took the service back, it serves on: " + why.getMessage());
        return UpgradeOutcome.rolledBack(orchestrator.generation(), why.reason(), why.detail()
                + ": this process took the service back and serves on", successor.pid(), imageBytes, timings);
    }

    private UpgradeOutcome rolledBack(SuccessorProcess successor, HandoverConversation conversation, LiveUpdateException reason,
            Phases phases, long imageBytes, Consumer<String> progress) {
        conversation.abort(reason);
        successor.stop();
        double blackout = millisSince(phases.quiesced);
        progress.accept("rolled back, the service serves on: " + reason.getMessage());
        return UpgradeOutcome.rolledBack(orchestrator.generation(), reason.reason(), reason.detail(), successor.pid(), imageBytes,
                phases.timings(blackout));
    }

    /** This process has retired: the successor may take the control socket over. */
    synchronized void release() {
        if (committed != null) {
            committed.close();
        }
    }

    /** Whether an upgrade committed: this process only retires from here on. */
    boolean handedOver() {
        return committed != null;
    }

    private static LiveUpdateException failure(RuntimeException e, String what) {
        return e instanceof LiveUpdateException l ? l : new LiveUpdateException(Errno.EIO, what + ": " + e, e);
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    /** When each phase ended; 0 for a phase not reached. */
    private static final class Phases {
        final double startMillis;
        final long quiesced;
        long frozen;
        long ready;

        Phases(double startMillis, long quiesced) {
            this.startMillis = startMillis;
            this.quiesced = quiesced;
        }

        double freezeMillis() {
            return frozen == 0 ? 0 : (frozen - quiesced) / 1e6;
        }

        UpgradeOutcome.Timings timings(double blackoutMillis) {
            return new UpgradeOutcome.Timings(startMillis, freezeMillis(), ready == 0 ? 0 : (ready - frozen) / 1e6, blackoutMillis);
        }
    }
}
