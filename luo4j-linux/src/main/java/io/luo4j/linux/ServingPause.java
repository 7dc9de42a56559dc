package io.luo4j.linux;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off between the thread that drives an upgrade and a service's serving loop, for a
 * service that serves from one thread (a selector loop).
 *
 * <p>Happy path: the upgrade thread calls {@link #pause()} from {@link UpgradeListener#quiesce()};
 * it asks for a pause and wakes the loop. The loop calls {@link #parkIfRequested(Runnable)} between
 * two rounds of work: it records what it has in flight (unread and unwritten bytes on each
 * {@link TcpConnection}) and parks, and only then does {@code pause()} return, so the freeze sees
 * a service that no longer changes preserved state. On commit the process ends with the loop
 * parked.
 *
 * <p>Unhappy path: the upgrade rolls back and the upgrade thread calls {@link #resume()} from
 * {@link UpgradeListener#resume()}; the loop wakes and serves on, with everything it had.
 */
public final class ServingPause {
    private final Runnable wakeServingLoop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean requested;
    private boolean parked;

    /** {@code wakeServingLoop} makes the loop return from a blocking wait, e.g. {@code selector::wakeup}. */
    public ServingPause(Runnable wakeServingLoop) {
        this.wakeServingLoop = wakeServingLoop;
    }

    /** Upgrade thread: asks the serving loop to park; returns once it has. */
    public void pause() {
        lock.lock();
        try {
            requested = true;
            wakeServingLoop.run();
            while (!parked) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Upgrade thread, after a rollback: lets the serving loop go on. */
    public void resume() {
        lock.lock();
        try {
            requested = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Serving loop, between two rounds of work: returns at once unless a pause was asked for;
     * then runs {@code beforeParking} (record what is in flight), parks until {@link #resume()},
     * and returns.
     */
    public void parkIfRequested(Runnable beforeParking) {
        lock.lock();
        try {
            if (!requested) {
                return;
            }
            beforeParking.run();
            parked = true;
            changed.signalAll();
            while (requested) {
                changed.awaitUninterruptibly();
            }
            parked = false;
        } finally {
            lock.unlock();
        }
    }
}
