package io.luo4j;

import io.luo4j.OrchestratorStatus.SessionStatus;
import io.luo4j.image.ImageSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session and its lock, the third tier of the hierarchy (the kernel's luo_session.c, per
 * session). Every public operation checks the direction first, then passes the gate, then takes
 * this session's lock, and hands the file work to {@link FileLifecycle}.
 *
 * <p>It is given the orchestrator's parts it works with: the {@link SerializeGate} every operation
 * passes, the {@link SessionList} it belongs to (and leaves when closed or finished), the
 * orchestrator's one {@link FileLifecycle} and the {@link FileTable} for the descriptor-number
 * operations.
 */
final class LiveSession implements Session {
    private final SerializeGate gate;
    /** The sessions of this one's direction; it leaves them when closed or finished. */
    private final SessionList sessions;
    private final FileLifecycle lifecycle;
    private final FileTable fileTable;
    private final SessionName key;
    private final boolean incoming;
    private final ReentrantLock lock = new ReentrantLock();
    /** Null while an outgoing session holds no files. */
    private FileSet files;
    private boolean retrieved;
    private boolean finished;
    private volatile boolean closed;

    private LiveSession(SessionName key, boolean incoming, FileSet files, SerializeGate gate, SessionList sessions,
            FileLifecycle lifecycle, FileTable fileTable) {
        this.gate = gate;
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        this.fileTable = fileTable;
        this.key = key;
        this.incoming = incoming;
        this.files = files;
    }

    /** A new, empty outgoing session; the caller inserts it into {@code outgoing}. */
    static LiveSession outgoing(SessionName key, SerializeGate gate, SessionList outgoing, FileLifecycle lifecycle,
            FileTable fileTable) {
        return new LiveSession(key, false, null, gate, outgoing, lifecycle, fileTable);
    }

    /** An incoming session rebuilt from the image with its {@code files}; the caller inserts it into {@code incoming}. */
    static LiveSession incoming(ImageSession image, FileSet files, SerializeGate gate, SessionList incoming,
            FileLifecycle lifecycle, FileTable fileTable) {
        return new LiveSession(SessionName.lookup(image.name()), true, files, gate, incoming, lifecycle, fileTable);
    }

    SessionName key() {
        return key;
    }

    @Override
    public String name() {
        return key.value();
    }

    @Override
    public boolean isIncoming() {
        return incoming;
    }

    @Override
    public void preserve(long token, Object file) {
        preserveFrom(token, FileSource.ofObject(file));
    }

    @Override
    public void preserveDescriptor(long token, int fd) {
        preserveFrom(token, FileSource.ofDescriptor(fileTable, fd));
    }

    private void preserveFrom(long token, FileSource source) {
        requireDirection(false, "preserve");
        withLock(() -> {
            FileSet set = files != null ? files : new FileSet();
            lifecycle.preserve(set, name(), token, source);
            files = set;
            return null;
        });
    }

    @Override
    public Object retrieve(long token) {
        requireDirection(true, "retrieve");
        return withLock(() -> lifecycle.retrieve(files, name(), token));
    }

    @Override
    public int retrieveDescriptor(long token) {
        return fileTable.install(retrieve(token));
    }

    /**
     * Finishes the files, then leaves the incoming list, inside the gate; the list keeps the name as
     * retrieved until the session is closed (a second retrieve is EINVAL until then, ENOENT after, as
     * in the seed, whose finished session stays listed until its descriptor is released).
     */
    @Override
    public void finish() {
        requireDirection(true, "finish");
        gate.enterRead();
        try {
            if (locked(true, this::finishLocked)) {
                sessions.removeFinished(this);
            }
        } finally {
            gate.exitRead();
        }
    }

    /** Finishes the files unless that was done; whether it was done now. Called with the lock held. */
    private boolean finishLocked() {
        if (finished) {
            return false;
        }
        if (files != null) {
            lifecycle.finish(files, name());
        }
        files = null;
        finished = true;
        return true;
    }

    @Override
    public List<Long> tokens() {
        lock.lock();
        try {
            List<Long> tokens = new ArrayList<>();
            if (files != null) {
                files.inOrder().forEach(file -> tokens.add(file.token));
            }
            return tokens;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Outgoing: unpreserves every file; incoming: finishes the session unless it was finished (EBUSY
     * keeps it open). Then the session leaves its list, still inside the gate (as luo_session_release
     * does), so an upgrade can never find it closed and still listed, and hand it over empty.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        gate.enterRead();
        try {
            boolean closedNow = locked(false, () -> {
                if (closed) {
                    return false;
                }
                if (incoming) {
                    finishLocked();
                } else if (files != null) {
                    lifecycle.unpreserveAll(files, name());
                    files = null;
                }
                closed = true;
                return true;
            });
            if (closedNow) {
                sessions.remove(this);
                if (incoming) {
                    sessions.forgetFinished(this);
                }
            }
        } finally {
            gate.exitRead();
        }
    }

    /** Marks an incoming session retrieved; EINVAL the second time. Called with the incoming list locked. */
    void markRetrieved() {
        lock.lock();
        try {
            if (retrieved) {
                throw new LiveUpdateException(Errno.EINVAL, "incoming session \"" + name() + "\" was already retrieved:"
                        + " a session is retrieved once; keep the Session object you got the first time");
            }
            retrieved = true;
        } finally {
            lock.unlock();
        }
    }

    /** Freezes this session's files for an upgrade (the gate is held by the upgrade). */
    void freezeFiles() {
        lock.lock();
        try {
            if (files != null) {
                lifecycle.freeze(files, name());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Unfreezes this session's files after a failed or rolled-back upgrade. */
    void unfreezeFiles() {
        lock.lock();
        try {
            if (files != null) {
                lifecycle.unfreeze(files, name());
            }
        } finally {
            lock.unlock();
        }
    }

    /** This session as the image records it. */
    ImageSession toImage(DescriptorList descriptors) {
        lock.lock();
        try {
            return new ImageSession(name(), files == null ? List.of() : lifecycle.imageEntries(files, descriptors));
        } finally {
            lock.unlock();
        }
    }

    /** Finishes an incoming session nobody finished, without asking (at the next upgrade's commit). */
    void discard() {
        lock.lock();
        try {
            if (files != null) {
                lifecycle.finishAll(files, name());
                files = null;
            }
            finished = true;
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    /** A view for status reports. */
    SessionStatus status() {
        lock.lock();
        try {
            List<SessionStatus.FileStatus> fileStatus = new ArrayList<>();
            if (files != null) {
                for (PreservedFile file : files.inOrder()) {
                    fileStatus.add(new SessionStatus.FileStatus(file.token, file.handler.compatible(), file.retrieveStatus,
                            file.dataForImage().length, file.descriptorsForImage().length));
                }
            }
            return new SessionStatus(name(), incoming, retrieved, fileStatus);
        } finally {
            lock.unlock();
        }
    }

    /** Whether the session holds file storage; an outgoing session drops it with its last file. */
    boolean holdsFileStorage() {
        lock.lock();
        try {
            return files != null;
        } finally {
            lock.unlock();
        }
    }

    private void requireDirection(boolean wantIncoming, String operation) {
        if (incoming != wantIncoming) {
            throw new LiveUpdateException(Errno.EINVAL, operation + " works on " + (wantIncoming ? "incoming" : "outgoing")
                    + " sessions only, and \"" + name() + "\" is " + (incoming ? "incoming" : "outgoing")
                    + (wantIncoming ? ": files are retrieved in the successor" : ": create an outgoing session to preserve into"));
        }
    }

    /** Runs {@code body} past the gate and under this session's lock; EBADF once the session is closed. */
    private <T> T withLock(Callbacks.Body<T> body) {
        gate.enterRead();
        try {
            return locked(true, body);
        } finally {
            gate.exitRead();
        }
    }

    /**
     * Runs {@code body} under this session's lock (the caller has passed the gate); whatever it
     * throws arrives as a LiveUpdateException.
     */
    private <T> T locked(boolean requireOpen, Callbacks.Body<T> body) {
        lock.lock();
        try {
            if (requireOpen && closed) {
                throw new LiveUpdateException(Errno.EBADF, "session \"" + name() + "\" is closed");
            }
            return Callbacks.invoke(() -> "session \"" + name() + "\"", body);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return (incoming ? "incoming" : "outgoing") + " session \"" + name() + "\"";
    }
}
