package io.luo4j;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The outermost lock of the hierarchy, the kernel's {@code luo_session_serialize_rwsem}: every
 * session operation passes it as a reader; an upgrade holds it as the writer from the first freeze
 * until it is committed or rolled back.
 *
 * <ul>
 *   <li>Readers wait while an upgrade is under way or waiting to start (the writer is preferred, so
 *       a stream of operations cannot starve an upgrade).</li>
 *   <li>Once an upgrade is {@linkplain #seal committed} the gate stays shut: waiting and later
 *       readers are refused with ESHUTDOWN, since the files now belong to the successor.</li>
 *   <li>A reader may re-enter (a handler callback that calls back into the orchestrator from the
 *       same thread); the upgrading thread itself may not, because it would wait on itself: that is
 *       EDEADLK rather than a hang.</li>
 *   <li>Only one upgrade at a time: a second writer is refused with EBUSY at once.</li>
 * </ul>
 * Unlike {@link java.util.concurrent.locks.ReentrantReadWriteLock} the write side is not owned by a
 * thread: the handover may commit or roll back from another thread than the one that froze.
 */
final class SerializeGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ThreadLocal<int[]> readsHeld = ThreadLocal.withInitial(() -> new int[1]);
    private int readers;
    private boolean writerWaiting;
    private boolean writerHolds;
    private Thread writer;
    private boolean sealed;

    /** Enters as a reader, waiting while an upgrade runs. */
    void enterRead() {
        int[] held = readsHeld.get();
        if (held[0] > 0) {
            held[0]++;
            return;
        }
        lock.lock();
        try {
            if (writer == Thread.currentThread()) {
                throw new LiveUpdateException(Errno.EDEADLK, "a callback called back into the orchestrator during an upgrade:"
                        + " handler callbacks must not create, preserve, retrieve or close while the upgrade runs");
            }
            while (!sealed && (writerHolds || writerWaiting)) {
                awaitChange("an upgrade to finish");
            }
            if (sealed) {
                throw sealedError();
            }
            readers++;
        } finally {
            lock.unlock();
        }
        held[0] = 1;
    }

    /** Leaves as a reader. */
    void exitRead() {
        int[] held = readsHeld.get();
        if (--held[0] > 0) {
            return;
        }
        lock.lock();
        try {
            if (--readers == 0) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Starts an upgrade: refuses a second one, then waits until no operation is in flight. */
    void acquireWrite() {
        if (readsHeld.get()[0] > 0) {
            throw new LiveUpdateException(Errno.EDEADLK, "an upgrade was started from inside an orchestrator callback:"
                    + " start it from a thread of its own");
        }
        lock.lock();
        try {
            if (sealed) {
                throw sealedError();
            }
            if (writerHolds || writerWaiting) {
                throw new LiveUpdateException(Errno.EBUSY, "an upgrade is already in progress: wait for it to commit or roll back");
            }
            writerWaiting = true;
            try {
                while (readers > 0) {
                    awaitChange("session operations in flight to end");
                }
            } finally {
                writerWaiting = false;
                changed.signalAll();
            }
            writerHolds = true;
            writer = Thread.currentThread();
        } finally {
            lock.unlock();
        }
    }

    /** Ends a failed or rolled-back upgrade: operations proceed again. */
    void releaseWrite() {
        lock.lock();
        try {
            writerHolds = false;
            writer = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends a committed upgrade: from now on every operation is refused. */
    void seal() {
        lock.lock();
        try {
            sealed = true;
            writerHolds = false;
            writer = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether an upgrade is waiting to start, freezing, or prepared and not yet committed or rolled back. */
    boolean upgradeInProgress() {
        lock.lock();
        try {
            return writerHolds || writerWaiting;
        } finally {
            lock.unlock();
        }
    }

    boolean sealed() {
        lock.lock();
        try {
            return sealed;
        } finally {
            lock.unlock();
        }
    }

    private void awaitChange(String what) {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LiveUpdateException(Errno.ECANCELED, "interrupted while waiting for " + what, e);
        }
    }

    private static LiveUpdateException sealedError() {
        return new LiveUpdateException(Errno.ESHUTDOWN, "this orchestrator has handed its sessions to its successor:"
                + " nothing can be created, preserved, retrieved or closed here any more; the successor owns them now");
    }
}
