package io.luo4j;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * Runs handler and FLB callbacks. A callback's {@link LiveUpdateException} passes through with its
 * reason; any other exception becomes EIO naming the callback, with the exception as cause. The
 * callbacks the kernel declares void (unpreserve, unfreeze, finish) cannot stop the orchestrator:
 * their failures are logged and the walk goes on. What a callback is called in messages is built
 * only when it fails: the happy path spends nothing on it.
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

    /** Runs a callback and returns its answer; a failure propagates, as EIO unless it is a LiveUpdateException. */
    static <T> T invoke(Supplier<String> what, Body<T> body) {
        try {
            return body.run();
        } catch (LiveUpdateException e) {
            throw e;
        } catch (Exception e) {
            throw new LiveUpdateException(Errno.EIO, what.get() + " failed: " + e + "; fix the handler, then retry", e);
        }
    }

    /** {@link #invoke} for a callback that answers nothing. */
    static void run(Supplier<String> what, Action action) {
        invoke(what, () -> {
            action.run();
            return null;
        });
    }

    /** Runs a callback whose failure must not stop the caller; a failure is logged. */
    static void runQuietly(Supplier<String> what, Action action) {
        try {
            run(what, action);
        } catch (LiveUpdateException e) {
            warn(what.get() + " failed and was skipped; the orchestrator continues", e);
        }
    }

    /**
     * Logs a warning: one line for a failure the orchestrator reports itself, the whole trace when a
     * handler threw something else (the cause is what its author needs).
     */
    static void warn(String message, LiveUpdateException e) {
        if (e.getCause() == null) {
            LOG.log(Level.WARNING, message + ": " + e.getMessage());
        } else {
            LOG.log(Level.WARNING, message, e);
        }
    }
}
