package io.luo4j;

import io.luo4j.image.Image;
import io.luo4j.image.ImageReader;
import io.luo4j.image.ImageSession;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Lock;

/**
 * The Live Update Orchestrator of one process: the registered file handlers and FLBs, the outgoing
 * sessions this process will hand over, and the incoming sessions its predecessor handed to it.
 * See the package documentation for the whole flow.
 *
 * <pre>{@code
 * LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
 * luo.registerHandler(handler);                  // before any session exists
 * Session s = luo.createSession("web");
 * s.preserve(1, listener);                       // heavy work, while serving
 * Handover h = luo.upgrade();                    // freeze + image; then refuse everything
 *
 * LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();   // the successor
 * next.registerHandler(handler);
 * next.loadIncoming(h.image(), h.descriptors());
 * Session in = next.retrieveSession("web");
 * Object listener = in.retrieve(1);
 * in.finish();
 * }</pre>
 *
 * <p>Thread-safe. Locks are taken in one order: the serialize gate, a session list, a session, an
 * FLB; callbacks run with the session lock held and must not call back in.
 */
public final class LiveUpdateOrchestrator {
    private final Limits limits;
    private final FileTable fileTable;
    private final SerializeGate gate = new SerializeGate();
    private final SessionList outgoing;
    private final SessionList incoming;
    private final HandlerRegistry handlers = new HandlerRegistry();
    private final FlbRegistry flbs;
    private final FileLifecycle lifecycle;

    // incoming image state, guarded by the incoming list's write lock
    private Image pendingImage;
    private int[] pendingDescriptors;
    /** Set once deserialization ran; read without a lock, so callers inside callbacks take no list lock. */
    private volatile boolean deserializationAttempted;
    private volatile LiveUpdateException deserializationFailure;

    private volatile long generation;

    private LiveUpdateOrchestrator(Limits limits, FileTable fileTable) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.fileTable = Objects.requireNonNull(fileTable, "fileTable");
        this.outgoing = new SessionList("outgoing", limits.maxSessions());
        this.incoming = new SessionList("incoming", limits.maxSessions());
        this.flbs = new FlbRegistry(limits.maxFlbs());
        this.lifecycle = new FileLifecycle(handlers, flbs, limits);
    }

    /** An orchestrator with the default {@link Limits} and no {@link FileTable}. */
    public static LiveUpdateOrchestrator create() {
        return builder().build();
    }

    /** A builder, to choose the {@link Limits} or give a {@link FileTable}. */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- handlers and FLBs

    /**
     * Registers a file handler; handlers are probed in registration order. The compatible string is
     * checked first, as the kernel checks its arguments first: EINVAL comes before EBUSY.
     *
     * @throws LiveUpdateException EINVAL compatible string null, empty, over 47 bytes, with a control
     *         character or without an exact UTF-8 form (an unpaired surrogate); EBUSY sessions exist or
     *         an incoming image waits to be deserialized; EEXIST compatible string taken
     */
    public void registerHandler(FileHandler handler) {
        HandlerRegistry.validate(handler);
        whileQuiescent("register file handler " + handler.compatible(), () -> {}, () -> handlers.add(handler));
    }

    /**
     * Unregisters a file handler and unlinks its FLBs.
     *
     * @throws LiveUpdateException EBUSY sessions exist; ENOENT not registered
     */
    public void unregisterHandler(FileHandler handler) {
        whileQuiescent("unregister file handler " + handler.compatible(), () -> {}, () -> {
            handlers.remove(handler);
            flbs.unlinkAll(handler);
        });
    }

    /**
     * Links {@code flb} to {@code handler}: every file the handler preserves will use it. The
     * arguments are checked first, as the kernel does: EINVAL comes before EBUSY.
     *
     * @throws LiveUpdateException EINVAL bad compatible string or handler not registered; EBUSY
     *         sessions exist; EEXIST already linked, or another FLB has that name; ENOSPC too many FLBs
     */
    public void registerFlb(FileHandler handler, Flb flb) {
        CompatibleName.check(flb.compatible(), "FLB");
        whileQuiescent("register FLB " + flb.compatible(), () -> requireRegistered(handler), () -> flbs.link(handler, flb));
    }

    /**
     * Unlinks {@code flb} from {@code handler}; the FLB is unregistered with its last link.
     *
     * @throws LiveUpdateException ENOENT not linked; EBUSY sessions exist
     */
    public void unregisterFlb(FileHandler handler, Flb flb) {
        whileQuiescent("unregister FLB " + flb.compatible(), () -> {}, () -> flbs.unlink(handler, flb));
    }

    /** The registered handlers, in probe order. */
    public List<FileHandler> handlers() {
        return handlers.inOrder();
    }

    /**
     * The live object of {@code flb} in this process.
     *
     * @throws LiveUpdateException ENOENT no file using it is preserved; EINVAL not registered
     */
    public Object flbOutgoing(Flb flb) {
        return flbs.state(flb).outgoingObject();
    }

    /**
     * The object of {@code flb} as the predecessor preserved it, retrieved on the first call.
     *
     * @throws LiveUpdateException ENOENT the predecessor preserved none; ENODATA already finished;
     *         EINVAL not registered; or the FLB's retrieve error (retried on the next call)
     */
    public Object flbIncoming(Flb flb) {
        ensureDeserialized();
        return flbs.state(flb).incomingObject();
    }

    // ---------------------------------------------------------------- sessions

    /**
     * Creates an outgoing session.
     *
     * @throws LiveUpdateException EINVAL name empty, over 63 bytes or with a NUL; EEXIST name taken;
     *         ENOSPC too many sessions; ESHUTDOWN after a committed upgrade
     */
    public Session createSession(String name) {
        SessionName key = SessionName.of(name);
        gate.enterRead();
        try {
            LiveSession session = LiveSession.outgoing(key, gate, outgoing, lifecycle, fileTable);
            outgoing.insert(session);
            return session;
        } finally {
            gate.exitRead();
        }
    }

    /**
     * Retrieves an incoming session by name, deserializing the incoming image on first use. A
     * session stays retrieved until it is closed, finished or not: retrieving it again is EINVAL
     * until then, ENOENT afterwards (as in the seed).
     *
     * @throws LiveUpdateException ENOENT no such incoming session (or it was closed); EINVAL already
     *         retrieved; the deserialization error, the same on every call
     */
    public Session retrieveSession(String name) {
        gate.enterRead();
        try {
            ensureDeserialized();
            Lock listLock = incoming.lock().readLock();
            listLock.lock();
            try {
                SessionName key = SessionName.lookup(name);
                LiveSession session = incoming.find(key);
                if (session == null && incoming.isFinishedNotClosed(key)) {
                    throw new LiveUpdateException(Errno.EINVAL, "incoming session \"" + name + "\" was already retrieved and"
                            + " finished: it is gone once that Session is closed; a session is retrieved once");
                }
                if (session == null) {
                    throw new LiveUpdateException(Errno.ENOENT, "there is no incoming session \"" + name + "\""
                            + (pendingImage == null ? ": this process started without a predecessor's image"
                                    : ": the predecessor did not hand one over by that name, or it was closed already"));
                }
                session.markRetrieved();
                return session;
            } finally {
                listLock.unlock();
            }
        } finally {
            gate.exitRead();
        }
    }

    /** Names of the incoming sessions not yet finished, in the predecessor's creation order. */
    public List<String> incomingSessionNames() {
        ensureDeserialized();
        List<String> names = new ArrayList<>();
        for (LiveSession session : incoming.snapshot()) {
            names.add(session.name());
        }
        return names;
    }

    /**
     * Waits until every incoming session is finished except those named in {@code except}, at
     * most {@code timeout}: a successor's way to learn that its application has taken over
     * everything it was handed. Returns whether they all are.
     */
    public boolean awaitIncomingFinished(Set<String> except, Duration timeout) throws InterruptedException {
        ensureDeserialized();
        return incoming.awaitOnly(except, System.nanoTime() + timeout.toNanos());
    }

    // ---------------------------------------------------------------- incoming image

    /**
     * Takes the predecessor's image and the descriptors received beside it. The image is checked
     * now (format, checksum, limits); the sessions are built on first use or by {@link #deserialize()}.
     * Register every handler first: registration is refused while the image waits.
     *
     * @throws LiveUpdateException the image's format errors (nothing is kept; a good image may be
     *         given again); EOVERFLOW if its generation is the largest a long holds (this process
     *         could not count another upgrade); EBADMSG if the descriptor count does not match; EBUSY
     *         if an image was already taken
     */
    public void loadIncoming(ByteBuffer image, int... descriptors) {
        Image parsed = ImageReader.read(image, limits.imageLimits());
        if (parsed.generation() == Long.MAX_VALUE) {
            throw new LiveUpdateException(Errno.EOVERFLOW, "the image's generation is " + Long.MAX_VALUE + ", the largest"
                    + " there is: this process could not hand over again (its successor's generation would overflow);"
                    + " no predecessor counts that far, so the image is damaged: restart cold");
        }
        if (descriptors.length != parsed.descriptorCount()) {
            throw new LiveUpdateException(Errno.EBADMSG, "the image names " + parsed.descriptorCount() + " descriptors but "
                    + descriptors.length + " arrived with it: the handover lost descriptors; the predecessor rolls back");
        }
        Lock listLock = incoming.lock().writeLock();
        listLock.lock();
        try {
            if (pendingImage != null) {
                throw new LiveUpdateException(Errno.EBUSY, "an incoming image was already loaded; a process takes one predecessor's image");
            }
            pendingImage = parsed;
            pendingDescriptors = descriptors.clone();
            generation = parsed.generation();
        } finally {
            listLock.unlock();
        }
    }

    /** {@link #loadIncoming(ByteBuffer, int...)} with a handover made in this JVM. */
    public void loadIncoming(Handover handover) {
        loadIncoming(handover.image(), handover.descriptors());
    }

    /**
     * Builds the incoming sessions from the loaded image, once: each file's compatible string must
     * name a registered handler. Nothing is published unless everything is rebuilt; a failure is
     * kept and thrown again on every later call.
     *
     * @throws LiveUpdateException ENOENT a compatible string names no handler; EEXIST a session name
     *         or token repeats
     */
    public void deserialize() {
        ensureDeserialized();
    }

    private void ensureDeserialized() {
        if (deserializationAttempted) {
            throwIfDeserializationFailed();
            return;
        }
        Lock listLock = incoming.lock().writeLock();
        listLock.lock();
        try {
            if (!deserializationAttempted && pendingImage != null) {
                try {
                    List<LiveSession> sessions = new ArrayList<>(pendingImage.sessions().size());
                    for (ImageSession session : pendingImage.sessions()) {
                        FileSet files = lifecycle.deserialize(session, pendingDescriptors);
                        sessions.add(LiveSession.incoming(session, files, gate, incoming, lifecycle, fileTable));
                    }
                    flbs.offerIncoming(pendingImage.flbs(), pendingDescriptors);
                    incoming.insertAll(sessions);
                } catch (Throwable e) {
                    deserializationFailure = Callbacks.failure(() -> "deserializing the incoming image", e);
                }
                deserializationAttempted = true;
            }
            throwIfDeserializationFailed();
        } finally {
            listLock.unlock();
        }
    }

    private void throwIfDeserializationFailed() {
        LiveUpdateException failure = deserializationFailure;
        if (failure != null) {
            throw new LiveUpdateException(failure.reason(), "the incoming image could not be deserialized"
                    + " (this is reported on every try): " + failure.detail(), failure);
        }
    }

    // ---------------------------------------------------------------- upgrade

    /** Live updates so far: 0 when started cold, the image's value in a successor. */
    public long generation() {
        return generation;
    }

    /**
     * Freezes every outgoing session and writes the image, holding every other operation until the
     * returned upgrade is committed or rolled back. One upgrade at a time.
     *
     * @throws LiveUpdateException the first freeze error (after unfreezing everything frozen);
     *         EBUSY another upgrade is in progress; E2BIG the image would exceed its limit;
     *         ESHUTDOWN already handed over
     */
    public PreparedUpgrade prepareUpgrade() {
        return PreparedUpgrade.prepare(gate, outgoing, incoming, flbs, limits, generation);
    }

    /**
     * {@link #prepareUpgrade()} and {@link PreparedUpgrade#commit()} at once: for a successor in this
     * JVM (tests, walkthroughs). Afterwards this orchestrator refuses everything.
     */
    public Handover upgrade() {
        PreparedUpgrade upgrade = prepareUpgrade();
        upgrade.commit();
        return upgrade.handover();
    }

    /** A consistent snapshot of sessions, files, handlers and FLBs. */
    public OrchestratorStatus status() {
        OrchestratorStatus.Phase phase = gate.sealed() ? OrchestratorStatus.Phase.HANDED_OVER
                : gate.upgradeInProgress() ? OrchestratorStatus.Phase.UPGRADING : OrchestratorStatus.Phase.RUNNING;
        List<OrchestratorStatus.SessionStatus> out = new ArrayList<>();
        for (LiveSession session : outgoing.snapshot()) {
            out.add(session.status());
        }
        List<OrchestratorStatus.SessionStatus> in = new ArrayList<>();
        for (LiveSession session : incoming.snapshot()) {
            in.add(session.status());
        }
        List<String> handlerNames = new ArrayList<>();
        for (FileHandler handler : handlers.inOrder()) {
            handlerNames.add(handler.compatible());
        }
        List<OrchestratorStatus.FlbStatus> flbStatus = new ArrayList<>();
        for (FlbState state : flbs.inOrder()) {
            flbStatus.add(new OrchestratorStatus.FlbStatus(state.flb.compatible(), state.outgoingUsers()));
        }
        return new OrchestratorStatus(generation, phase, out, in, handlerNames, flbStatus);
    }

    /** The caps this orchestrator enforces. */
    public Limits limits() {
        return limits;
    }

    // ---------------------------------------------------------------- internals

    /**
     * Runs {@code check} on the arguments, then {@code change} while no session exists and no image
     * waits (the kernel's quiescence): both list locks are held, so no session can appear meanwhile.
     * A finished incoming session has left its list: it holds no file and does not count.
     */
    private void whileQuiescent(String what, Runnable check, Runnable change) {
        gate.enterRead();
        try {
            outgoing.lock().writeLock().lock();
            try {
                incoming.lock().writeLock().lock();
                try {
                    check.run();
                    boolean imagePending = pendingImage != null && !deserializationAttempted;
                    if (!outgoing.isEmptyLocked() || !incoming.isEmptyLocked() || imagePending) {
                        throw new LiveUpdateException(Errno.EBUSY, "cannot " + what + " while sessions exist ("
                                + outgoing.size() + " outgoing, " + incoming.size() + " incoming"
                                + (imagePending ? ", an incoming image waiting" : "") + "): register handlers and FLBs"
                                + " at start-up, before creating sessions or loading the predecessor's image");
                    }
                    change.run();
                } finally {
                    incoming.lock().writeLock().unlock();
                }
            } finally {
                outgoing.lock().writeLock().unlock();
            }
        } finally {
            gate.exitRead();
        }
    }

    private void requireRegistered(FileHandler handler) {
        if (!handlers.contains(handler)) {
            throw new LiveUpdateException(Errno.EINVAL, "file handler " + handler.compatible() + " is not registered:"
                    + " register the handler before its FLBs");
        }
    }

    /** Configures an orchestrator. */
    public static final class Builder {
        private Limits limits = Limits.defaults();
        private FileTable fileTable = FileTable.NONE;

        private Builder() {}

        /** The caps to enforce; {@link Limits#defaults()} when not set. */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The descriptor table for the descriptor-number operations ({@link Session#preserveDescriptor},
         * {@link Session#retrieveDescriptor}, the command layer); the caller of those provides it
         * (luod, a later module, will). {@link FileTable#NONE} when not set.
         */
        public Builder fileTable(FileTable fileTable) {
            this.fileTable = Objects.requireNonNull(fileTable, "fileTable");
            return this;
        }

        /** A new orchestrator, with no handler registered and no session. */
        public LiveUpdateOrchestrator build() {
            return new LiveUpdateOrchestrator(limits, fileTable);
        }
    }
}
