package io.luo4j;

import io.luo4j.image.Image;
import io.luo4j.image.ImageEntry;
import io.luo4j.image.ImageSession;
import io.luo4j.image.ImageWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * An upgrade between freeze and its end (the kernel's reboot path, split in two because a process,
 * unlike a kernel, can still go back): every session is frozen and the image is written; the
 * orchestrator waits, with every other operation held, until the handover either
 * {@linkplain #commit() commits} (the successor took over: this process only exits now) or
 * {@linkplain #rollback() rolls back} (the successor failed: everything is unfrozen and the process
 * serves on as before).
 *
 * <p>Closing a prepared upgrade that was not committed rolls it back, so
 * {@code try (PreparedUpgrade u = orchestrator.prepareUpgrade()) { ...; u.commit(); }} cannot leave
 * the orchestrator frozen.
 *
 * <p>The orchestrator hands it the parts an upgrade works on: the {@link SerializeGate} it holds
 * from freeze to the end, the outgoing sessions it freezes, the FLBs and {@link Limits} the image is
 * written from, and the incoming sessions a commit discards.
 */
public final class PreparedUpgrade implements AutoCloseable {
    private enum State { PREPARED, COMMITTED, ROLLED_BACK }

    private final SerializeGate gate;
    private final SessionList incoming;
    private final List<LiveSession> frozen;
    private final Handover handover;
    private State state = State.PREPARED;

    private PreparedUpgrade(SerializeGate gate, SessionList incoming, List<LiveSession> frozen, Handover handover) {
        this.gate = gate;
        this.incoming = incoming;
        this.frozen = frozen;
        this.handover = handover;
    }

    /**
     * Freezes every outgoing session in creation order and writes the image. If a freeze fails, the
     * sessions frozen before the failing one are unfrozen in reverse order (the failing session has
     * already unfrozen its own files), the gate opens again, and the error is thrown. The same holds
     * whatever is thrown, by a callback or while the image is written: an OutOfMemoryError is ENOMEM,
     * anything else but a LiveUpdateException is EIO, with what was thrown as the cause.
     *
     * @param gate       taken for writing here, held until commit or rollback
     * @param outgoing   the sessions to freeze and write
     * @param incoming   the sessions a commit discards
     * @param flbs       the FLBs whose outgoing entries the image carries
     * @param limits     the caps on descriptors and image size
     * @param generation the orchestrator's generation; the image carries the next one
     */
    static PreparedUpgrade prepare(SerializeGate gate, SessionList outgoing, SessionList incoming, FlbRegistry flbs,
            Limits limits, long generation) {
        gate.acquireWrite();
        List<LiveSession> frozen = List.of();
        try {
            List<LiveSession> sessions = outgoing.snapshot();
            frozen = new ArrayList<>(sessions.size()); // sized: adding cannot fail half way
            for (LiveSession session : sessions) {
                session.freezeFiles();
                frozen.add(session);
            }
            return new PreparedUpgrade(gate, incoming, frozen, writeImage(frozen, flbs, limits, generation + 1));
        } catch (Throwable e) {
            try {
                unfreeze(frozen);
            } finally {
                gate.releaseWrite();
            }
            throw Callbacks.failure(() -> "preparing the upgrade", e);
        }
    }

    private static Handover writeImage(List<LiveSession> sessions, FlbRegistry flbRegistry, Limits limits, long generation) {
        DescriptorList descriptors = new DescriptorList();
        List<ImageSession> imageSessions = new ArrayList<>(sessions.size());
        for (LiveSession session : sessions) {
            imageSessions.add(session.toImage(descriptors));
        }
        List<ImageEntry> flbs = flbRegistry.outgoingEntries(descriptors);
        if (descriptors.size() > limits.maxDescriptors()) {
            throw new LiveUpdateException(Errno.E2BIG, "the upgrade would send " + descriptors.size()
                    + " descriptors, over the limit of " + limits.maxDescriptors() + ": raise Limits.maxDescriptors");
        }
        Image image = new Image(generation, imageSessions, flbs, descriptors.size());
        return new Handover(ImageWriter.write(image, limits.maxImageBytes()), descriptors.toArray(), generation);
    }

    /** Unfreezes {@code sessions} in reverse creation order. */
    private static void unfreeze(List<LiveSession> sessions) {
        for (int i = sessions.size() - 1; i >= 0; i--) {
            sessions.get(i).unfreezeFiles();
        }
    }

    /** What to send to the successor. */
    public Handover handover() {
        return handover;
    }

    /**
     * The successor has taken over. Incoming sessions nobody finished are discarded now (their files
     * finished without asking; the kernel drops them with the old kernel), and from here on the
     * orchestrator refuses every operation with ESHUTDOWN.
     *
     * @throws LiveUpdateException EINVAL if this upgrade already ended
     */
    public synchronized void commit() {
        requirePrepared("commit");
        state = State.COMMITTED;
        try {
            for (LiveSession session : incoming.snapshot()) {
                session.discard();
                incoming.remove(session);
            }
        } finally {
            gate.seal();
        }
    }

    /**
     * The handover failed: every file is unfrozen (sessions in reverse creation order, files in
     * preservation order), freeze's serialized data is cleared, and operations resume.
     *
     * @throws LiveUpdateException EINVAL if this upgrade already ended
     */
    public synchronized void rollback() {
        requirePrepared("roll back");
        state = State.ROLLED_BACK;
        try {
            unfreeze(frozen);
        } finally {
            gate.releaseWrite();
        }
    }

    /** Rolls back unless the upgrade was committed or already rolled back. */
    @Override
    public synchronized void close() {
        if (state == State.PREPARED) {
            rollback();
        }
    }

    /** Whether {@link #commit()} has run. */
    public synchronized boolean isCommitted() {
        return state == State.COMMITTED;
    }

    private void requirePrepared(String what) {
        if (state != State.PREPARED) {
            throw new LiveUpdateException(Errno.EINVAL, "cannot " + what + " this upgrade: it was already "
                    + (state == State.COMMITTED ? "committed" : "rolled back"));
        }
    }
}
