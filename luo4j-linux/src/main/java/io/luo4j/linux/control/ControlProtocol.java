package io.luo4j.linux.control;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The control socket's line protocol, UTF-8, one item per line.
 *
 * <pre>
 * request:   VERB [key=value ...]          values URL-encoded; VERB is status, upgrade or ping; at
 *                                          most 64 KiB, sent within 10 s of connecting
 *            upgrade takes timeout=SECONDS (0: the service's default) and exec=COMMAND (empty: its own command line)
 * answer:    progress TEXT                 zero or more, while the work goes on
 *            text TEXT                     zero or more: the answer for a person
 *            json DOCUMENT                 exactly one: the answer for a script
 *            exit CODE                     last: what luoctl exits with
 * </pre>
 */
public final class ControlProtocol {
    private ControlProtocol() {}

    /** A parsed request line. */
    public record Request(String verb, Map<String, String> arguments) {
        public String argument(String key, String fallback) {
            return arguments.getOrDefault(key, fallback);
        }
    }

    public static String request(String verb, Map<String, String> arguments) {
        StringBuilder line = new StringBuilder(verb);
        arguments.forEach((k, v) -> line.append(' ').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return line.toString();
    }

    /**
     * Parses one request line.
     *
     * @throws LiveUpdateException EINVAL when a value's %-encoding is malformed
     */
    public static Request parse(String line) {
        String[] parts = line.trim().split(" ");
        Map<String, String> arguments = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                try {
                    arguments.put(parts[i].substring(0, eq), URLDecoder.decode(parts[i].substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new LiveUpdateException(Errno.EINVAL, "the value of " + parts[i].substring(0, eq)
                            + " is not %-encoded correctly (" + e.getMessage() + "): luoctl encodes values with URLEncoder");
                }
            }
        }
        return new Request(parts[0], arguments);
    }
}
