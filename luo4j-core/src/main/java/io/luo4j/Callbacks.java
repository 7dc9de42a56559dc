package io.luo4j;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * Runs handler and FLB callbacks, whatever they throw. A callback's {@link LiveUpdateException}
 * passes through with its reason; anything else it throws, an {@link Error} too, becomes a
 * LiveUpdateException naming the callback, with what was thrown as the cause: ENOMEM for an
 * {@link OutOfMemoryError}, EIO for everything else. The callbacks the kernel declares void
 * (unpreserve, unfreeze, finish) cannot stop the orchestrator: whatever they throw is logged and the
 * walk goes on. What a callback is called in messages is built only when it fails: the happy path
 * spends nothing on it.
 */
final class Callbacks {
    static final System.Logger LOG = System.getLogger("io.luo4j");

    private Callbacks() {}

    /** A callback that answers something. */
    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    /** A callback that answers nothing. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** Runs a callback and returns its answer; whatever it throws propagates as a LiveUpdateException ({@link #failure}). */
    static <T> T invoke(Supplier<String> what, Body<T> body) {
        try {
            return body.run();
        } catch (Throwable e) {
            throw failure(what, e);
        }
    }

    /** {@link #invoke} for a callback that answers nothing. */
    static void run(Supplier<String> what, Action action) {
        invoke(what, () -> {
            action.run();
            return null;
        });
    }

    /**
     * Runs a callback whose failure must not stop the caller; whatever it throws is logged. Nothing
     * escapes, not even a failure to build or log the report (when the heap is exhausted, say).
     */
    static void runQuietly(Supplier<String> what, Action action) {
        try {
            run(what, action);
        } catch (LiveUpdateException e) {
            warnQuietly(() -> what.get() + " failed and was skipped; the orchestrator continues", e);
        } catch (Throwable e) {
            // reporting the failure failed too (out of memory while building the message): go on all the same
        }
    }

    /**
     * What {@code thrown} is reported as: itself if it is a LiveUpdateException; ENOMEM for an
     * OutOfMemoryError; EIO for anything else. The message names {@code what} failed; the cause is
     * what was thrown.
     */
    static LiveUpdateException failure(Supplier<String> what, Throwable thrown) {
        if (thrown instanceof LiveUpdateException e) {
            return e;
        }
        if (thrown instanceof OutOfMemoryError) {
            return new LiveUpdateException(Errno.ENOMEM, what.get() + " failed: " + thrown
                    + "; the process ran out of memory: free some or give the JVM more (-Xmx), then retry", thrown);
        }
        return new LiveUpdateException(Errno.EIO, what.get() + " failed: " + thrown + "; fix the handler, then retry", thrown);
    }

    /**
     * Logs a warning: one line for a failure the orchestrator reports itself, the whole trace when a
     * callback threw something else (the cause is what its author needs).
     */
    static void warn(String message, LiveUpdateException e) {
        if (e.getCause() == null) {
            LOG.log(Level.WARNING, message + ": " + e.getMessage());
        } else {
            LOG.log(Level.WARNING, message, e);
        }
    }

    /** {@link #warn}, on a path that must go on even when logging fails. */
    static void warnQuietly(Supplier<String> message, LiveUpdateException e) {
        try {
            warn(message.get(), e);
        } catch (Throwable logFailure) {
            // the walk this warning belongs to goes on regardless
        }
    }
}
