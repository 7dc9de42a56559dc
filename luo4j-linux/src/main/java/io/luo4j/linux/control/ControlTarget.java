package io.luo4j.linux.control;

import io.luo4j.linux.handover.UpgradeOutcome;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** What the control socket drives: a service under luo4j. */
public interface ControlTarget {
    /** The status report of the service. */
    Report status();

    /**
     * Upgrades the service, reporting each phase to {@code progress}.
     *
     * @param command the successor's command line; empty for the service's own
     */
    UpgradeOutcome upgrade(List<String> command, Duration timeout, Consumer<String> progress);

    /** The answer to an upgrade request, once it ended. */
    Report upgradeReport(UpgradeOutcome outcome);

    /** Called after a committed upgrade was reported to the client: the service retires. */
    void retire();
}
