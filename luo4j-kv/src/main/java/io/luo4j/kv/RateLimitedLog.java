package io.luo4j.kv;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * A warning that can recur thousands of times a second (a connection flood at the descriptor
 * limit, a crowd of clients over the input budget): logged the first time, then at most once per
 * interval, saying how many times it happened since the last line. A flood fills no disk and costs
 * the loop no more than a counter. A warning that cannot be written (logging failed) is dropped:
 * it must not end the loop it reports on. The event loop's thread alone uses it.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private long lastLogged;
    private boolean loggedOnce;
    private long unlogged;

    RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000;
    }

    /**
     * Logs {@code message} as a warning (with {@code cause}'s stack trace, when not null), unless one
     * was logged less than the interval ago (then counts it).
     */
    void warn(Supplier<String> message, Throwable cause) {
        long now = System.nanoTime();
        if (loggedOnce && now - lastLogged < intervalNanos) {
            unlogged++;
            return;
        }
        String since = unlogged == 0 ? "" : " (" + unlogged + " more like it since the last such line, "
                + (now - lastLogged) / 1_000_000 + " ms ago)";
        try {
            if (cause == null) {
                log.log(Level.WARNING, message.get() + since);
            } else {
                log.log(Level.WARNING, message.get() + since, cause);
            }
        } catch (RuntimeException | Error e) {
            // logging itself failed (at the descriptor limit, a first log line cannot open the
            // time-zone database: java.lang.Error): the warning is lost, the caller goes on
            if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError)) {
                throw e;
            }
        }
        loggedOnce = true;
        lastLogged = now;
        unlogged = 0;
    }
}
