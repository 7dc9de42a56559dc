package io.luo4j.linux.control;

import java.util.function.Consumer;

/**
 * What the control socket drives: a service under luo4j. Each request asks it once; the
 * {@link ControlServer} renders and writes the answer.
 */
public interface ControlTarget {
    /** The service's name, as its answers show it. */
    String name();

    /** The status report of the service. */
    Report status();

    /**
     * Upgrades the service, reporting each phase to {@code progress}, and returns how it ended. A
     * committed outcome means a successor serves now: the control server stops accepting before it
     * answers (the successor takes the socket over) and ends once every answer is written.
     */
    UpgradeOutcome upgrade(UpgradeRequest request, Consumer<String> progress);
}
