package io.luo4j.linux.internal;

import io.luo4j.LiveUpdateException;

/**
 * Watches one process for its exit through a pidfd: the exit is seen the moment the process dies,
 * whether it has been reaped or stays a zombie (a predecessor that was reparented to an init that
 * reaps late, or the parent's own child not yet waited for). {@code ProcessHandle.isAlive()} counts
 * a zombie as alive and cannot tell; a pidfd can.
 */
public final class ProcessExit implements AutoCloseable {
    private final long pid;
    private final int pidfd;
    private boolean closed;

    private ProcessExit(long pid, int pidfd) {
        this.pid = pid;
        this.pidfd = pidfd;
    }

    /**
     * Starts watching {@code pid}; take it while the process is known to be alive (a process that
     * is gone and reaped is ESRCH, as the number may already name another).
     */
    public static ProcessExit watch(long pid) {
        return new ProcessExit(pid, Libc.pidfdOpen(pid));
    }

    /** Whether the process has exited (zombie or reaped). */
    public synchronized boolean exited() {
        return !closed && Libc.pollIn(pidfd, 0) != 0;
    }

    /** Waits up to {@code timeoutMillis} for the exit; whether it happened. */
    public boolean awaitExit(int timeoutMillis) {
        return Libc.pollIn(pidfd, timeoutMillis) != 0;
    }

    public long pid() {
        return pid;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                Libc.close(pidfd);
            } catch (LiveUpdateException ignored) {
                // already gone
            }
        }
    }
}
