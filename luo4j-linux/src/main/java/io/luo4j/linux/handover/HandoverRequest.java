package io.luo4j.linux.handover;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one upgrade needs to start the successor.
 *
 * @param command      the successor's command line
 * @param environment  extra environment for the successor
 * @param timeout      from start until the successor reports ready
 * @param workDirectory a private directory (0700) for the handover socket
 * @param corruptImage fault injection for tests: flip a byte of the image in transit
 */
public record HandoverRequest(List<String> command, Map<String, String> environment, Duration timeout, Path workDirectory,
        boolean corruptImage) {
    public HandoverRequest {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }
}
