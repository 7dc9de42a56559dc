package io.luo4j;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One of the two session lists, outgoing or incoming: the middle tier of the lock hierarchy (the
 * kernel's {@code luo_session_header->rwsem}). Writers insert and remove; readers look up and
 * iterate. The map keeps creation order, which is the order sessions are frozen and written to the
 * image, and finds a name by hashing.
 *
 * <p>An incoming session that was finished leaves the list, but until it is closed its name is kept
 * apart, as still retrieved: the kernel keeps such a session in its list until its descriptor is
 * released, so a second retrieve is EINVAL until then and ENOENT after.
 */
final class SessionList {
    private final String direction;
    private final int capacity;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<SessionName, LiveSession> sessions = new LinkedHashMap<>();
    /** Names of sessions finished but not yet closed: no longer listed, still retrieved. */
    private final Set<SessionName> finishedNotClosed = new HashSet<>();

    SessionList(String direction, int capacity) {
        this.direction = direction;
        this.capacity = capacity;
    }

    /** Adds {@code session} at the end; EEXIST if its name is taken, ENOSPC if the list is full. */
    void insert(LiveSession session) {
        lock.writeLock().lock();
        try {
            if (sessions.containsKey(session.key())) {
                throw new LiveUpdateException(Errno.EEXIST, "an " + direction + " session named \"" + session.name()
                        + "\" already exists: pick another name or close that session first");
            }
            if (sessions.size() >= capacity) {
                throw new LiveUpdateException(Errno.ENOSPC, "there are already " + capacity + " " + direction
                        + " sessions, the configured maximum: close some, or raise Limits.maxSessions");
            }
            sessions.put(session.key(), session);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Adds all of {@code batch} at once, or none (EEXIST on a clash). */
    void insertAll(List<LiveSession> batch) {
        lock.writeLock().lock();
        try {
            Set<SessionName> seen = new HashSet<>();
            for (LiveSession session : batch) {
                if (sessions.containsKey(session.key()) || !seen.add(session.key())) {
                    throw new LiveUpdateException(Errno.EEXIST, "two " + direction + " sessions are named \"" + session.name() + "\"");
                }
            }
            for (LiveSession session : batch) {
                sessions.put(session.key(), session);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    void remove(LiveSession session) {
        lock.writeLock().lock();
        try {
            sessions.remove(session.key(), session);
        } finally {
            lock.writeLock().unlock();
        }
        synchronized (this) {
            notifyAll(); // whoever waits for sessions to go: see awaitOnly
        }
    }

    /**
     * Waits until every session left is named in {@code allowed}, at most until
     * {@code deadlineNanos}; whether it came to that.
     */
    boolean awaitOnly(Set<String> allowed, long deadlineNanos) throws InterruptedException {
        synchronized (this) {
            while (true) {
                boolean onlyAllowed = true;
                for (LiveSession session : snapshot()) {
                    onlyAllowed &= allowed.contains(session.name());
                }
                long left = deadlineNanos - System.nanoTime();
                if (onlyAllowed || left <= 0) {
                    return onlyAllowed;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** The session with that name, or null. */
    LiveSession find(SessionName name) {
        lock.readLock().lock();
        try {
            return sessions.get(name);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The sessions in creation order, as of now. */
    List<LiveSession> snapshot() {
        lock.readLock().lock();
        try {
            return new ArrayList<>(sessions.values());
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return sessions.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    ReadWriteLock lock() {
        return lock;
    }

    /** Whether the list is empty; call with the write lock held when the answer must stay true. */
    boolean isEmptyLocked() {
        return sessions.isEmpty();
    }

    /**
     * A finished session leaves the list; its name stays taken, as retrieved, until
     * {@link #forgetFinished} (the close).
     */
    void removeFinished(LiveSession session) {
        lock.writeLock().lock();
        try {
            finishedNotClosed.add(session.key());
        } finally {
            lock.writeLock().unlock();
        }
        remove(session);
    }

    /** The finished session was closed: its name is free, a retrieve is ENOENT from now on. */
    void forgetFinished(LiveSession session) {
        lock.writeLock().lock();
        try {
            finishedNotClosed.remove(session.key());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether {@code name} is a session's that was finished and not yet closed. */
    boolean isFinishedNotClosed(SessionName name) {
        lock.readLock().lock();
        try {
            return finishedNotClosed.contains(name);
        } finally {
            lock.readLock().unlock();
        }
    }
}
