package io.luo4j.linux.control;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@code luoctl upgrade} asks for; a setting left null takes the service's default.
 *
 * @param command    the successor's command line; empty for the service's own
 * @param timeout    from the request until the successor is ready (its start-up included)
 * @param pauseLimit from "stop taking work" until the successor is ready: how long clients may wait
 * @param grace      after the commit, how long the successor must live (having finished its
 *                   sessions) before this process lets go; zero lets go at once
 */
public record UpgradeRequest(List<String> command, Duration timeout, Duration pauseLimit, Duration grace) {
    public UpgradeRequest {
        command = List.copyOf(command);
        check("timeout", timeout, false);
        check("pause limit", pauseLimit, false);
        check("grace period", grace, true);
    }

    /** The longest any of the three may be: a day (past it is a typo, and deadlines would overflow). */
    static final Duration MAX = Duration.ofDays(1);

    private static void check(String what, Duration value, boolean zeroAllowed) {
        if (value != null && (value.isNegative() || (!zeroAllowed && value.isZero()) || value.compareTo(MAX) > 0)) {
            throw new LiveUpdateException(Errno.EINVAL, "the " + what + " must be " + (zeroAllowed ? "zero" : "more than zero")
                    + " to a day, not " + value.toMillis() + " ms");
        }
    }

    /** This request with every setting it leaves open taken from {@code defaults}. */
    public UpgradeRequest orElse(UpgradeRequest defaults) {
        return new UpgradeRequest(command.isEmpty() ? defaults.command : command, timeout != null ? timeout : defaults.timeout,
                pauseLimit != null ? pauseLimit : defaults.pauseLimit, grace != null ? grace : defaults.grace);
    }

    /** The request's arguments on the control socket: {@code exec}, {@code timeout} (s), {@code pause} and {@code grace} (ms). */
    public Map<String, String> arguments(String exec) {
        Map<String, String> arguments = new java.util.LinkedHashMap<>();
        if (!exec.isEmpty()) {
            arguments.put("exec", exec);
        }
        if (timeout != null) {
            arguments.put("timeout", Long.toString(timeout.toSeconds()));
        }
        if (pauseLimit != null) {
            arguments.put("pause", Long.toString(pauseLimit.toMillis()));
        }
        if (grace != null) {
            arguments.put("grace", Long.toString(grace.toMillis()));
        }
        return arguments;
    }

    /**
     * The request a control request line carries; {@code exec} runs through {@code /bin/sh -c}.
     *
     * @throws LiveUpdateException EINVAL for a setting that is not a number, or out of range
     */
    static UpgradeRequest of(ControlProtocol.Request request) {
        String exec = request.argument("exec", "");
        List<String> command = exec.isEmpty() ? List.of() : List.of("/bin/sh", "-c", "exec " + exec);
        Duration timeout = duration(request, "timeout", Duration::ofSeconds);
        return new UpgradeRequest(command, timeout == null || timeout.isZero() ? null : timeout, // 0: the default, as luoctl always said
                duration(request, "pause", Duration::ofMillis), duration(request, "grace", Duration::ofMillis));
    }

    private static Duration duration(ControlProtocol.Request request, String key, java.util.function.LongFunction<Duration> unit) {
        String value = request.argument(key, null);
        if (value == null) {
            return null;
        }
        try {
            return unit.apply(Long.parseLong(value));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new LiveUpdateException(Errno.EINVAL, key + " must be a whole number, not \"" + value + "\"");
        }
    }
}
