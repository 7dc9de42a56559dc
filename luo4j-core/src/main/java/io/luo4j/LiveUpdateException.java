package io.luo4j;

import java.util.Objects;

/**
 * The one exception luo4j throws: what went wrong, why (an errno-like {@link #reason()}), and what
 * to do about it.
 *
 * <p>The message is written for the person reading the log: it names the object involved (session,
 * token, handler) and says what to do next. The reason is for code: compare it, or send its
 * {@link Errno#number() number} over the wire.
 *
 * <p>It is unchecked: a live update either happens in full or not at all, and every operation that
 * fails leaves the orchestrator as it was before the call, so a caller can catch it where it decides
 * whether to retry, skip the resource or give up the upgrade.
 */
public final class LiveUpdateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errno reason;

    /** A failure with this reason; the message says what went wrong and what to do. */
    public LiveUpdateException(Errno reason, String message) {
        this(reason, message, null);
    }

    /** A failure with this reason, caused by {@code cause}. */
    public LiveUpdateException(Errno reason, String message, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + Objects.requireNonNull(message, "message"), cause);
        this.reason = reason;
    }

    /** Why it failed, as the kernel LUO would say it. */
    public Errno reason() {
        return reason;
    }

    /** The message without the leading reason name. */
    public String detail() {
        return getMessage().substring(reason.name().length() + 2);
    }
}
