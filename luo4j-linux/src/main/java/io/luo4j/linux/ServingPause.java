package io.luo4j.linux;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hand-off between the thread that drives an upgrade and a service's serving loop, for a
 * service that serves from one thread (a selector loop): the loop's side of {@link UpgradeHooks}.
 *
 * <p>Happy path: {@link UpgradeHooks#stopTakingWork()} calls {@link #pause()}, which asks for a pause
 * and wakes the loop. The loop calls {@link #parkIfRequested(Runnable)} between two rounds of work:
 * it records what it has in flight (unread and unwritten bytes on each {@link TcpConnection}) and
 * parks, and only then does {@code pause()} return, so the freeze sees a service that no longer
 * changes preserved state. On commit {@link UpgradeHooks#successorServes()} calls
 * {@link #handOver()}: {@code parkIfRequested} returns false and the loop ends, without touching
 * its clients (the successor serves them).
 *
 * <p>Unhappy path: the upgrade rolls back and {@link UpgradeHooks#takeWorkAgain()} calls
 * {@link #resume()}; {@code parkIfRequested} returns true and the loop serves on, with everything
 * it had.
 */
public final class ServingPause {
    private final Runnable wakeServingLoop;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean requested;
    private boolean parked;
    private boolean handedOver;

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

    /** Upgrade thread, after a commit: ends the serving loop (a successor serves its clients). */
    public void handOver() {
        lock.lock();
        try {
            handedOver = true;
            requested = false;
            changed.signalAll();
            wakeServingLoop.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Serving loop, between two rounds of work: returns true at once unless a pause was asked for;
     * then runs {@code beforeParking} (record what is in flight), parks until {@link #resume()}
     * (true: serve on) or {@link #handOver()} (false: leave the loop, the clients are the
     * successor's).
     */
    public boolean parkIfRequested(Runnable beforeParking) {
        lock.lock();
        try {
            if (handedOver) {
                return false;
            }
            if (!requested) {
                return true;
            }
            beforeParking.run();
            parked = true;
            changed.signalAll();
            while (requested) {
                changed.awaitUninterruptibly();
            }
            parked = false;
            return !handedOver;
        } finally {
            lock.unlock();
        }
    }
}
