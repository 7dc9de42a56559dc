package io.luo4j;

import java.lang.System.Logger.Level;

/**
 * Runs handler and FLB callbacks. A callback's {@link LiveUpdateException} passes through with its
 * reason; any other exception becomes EIO naming the callback, with the exception as cause. The
 * callbacks the kernel declares void (unpreserve, unfreeze, finish) cannot stop the orchestrator:
 * their failures are logged and the walk goes on.
 */
final class Callbacks {
    static final System.Logger LOG = System.getLogger("io.luo4j");

    private Callbacks() {}

    @FunctionalInterface
    interface Body<T> {
        T run() throws Exception;
    }

    static <T> T invoke(String what, Body<T> body) {
        try {
            return body.run();
        } catch (LiveUpdateException e) {
            throw e;
        } catch (Exception e) {
            throw new LiveUpdateException(Errno.EIO, what + " failed: " + e + "; fix the handler, then retry", e);
        }
    }

    /** Runs a callback whose failure must not stop the caller; a failure is logged. */
    static void invokeQuietly(String what, Body<?> body) {
        try {
            invoke(what, body);
        } catch (LiveUpdateException e) {
            warn(what + " failed and was skipped; the orchestrator continues", e);
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
