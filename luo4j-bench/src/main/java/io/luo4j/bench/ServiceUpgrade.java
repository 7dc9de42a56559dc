package io.luo4j.bench;

import io.luo4j.linux.control.RuntimeDirectory;
import io.luo4j.linux.control.ControlClient;
import io.luo4j.linux.control.StatusReport;
import io.luo4j.linux.control.UpgradeOutcome;
import io.luo4j.linux.control.UpgradeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One live update of a benchmarked service, asked for over its control socket as luoctl does. */
public final class ServiceUpgrade {
    /** A generous start-up limit; the pause limit and grace period are the service's. */
    private static final UpgradeRequest SETTINGS = new UpgradeRequest(List.of(), Duration.ofSeconds(300), null, null);

    private ServiceUpgrade() {}

    /**
     * Upgrades service {@code name} of runtime directory {@code runtime} and returns the outcome.
     *
     * @throws BenchFailure when the upgrade rolled back: luo4j failed at its job
     */
    public static UpgradeOutcome run(Path runtime, String name) throws BenchFailure {
        UpgradeOutcome outcome = StatusReport.upgradeOutcome(ControlClient.upgrade(RuntimeDirectory.controlSocket(runtime, name), "",
                SETTINGS, phase -> {}));
        if (!outcome.committed()) {
            throw new BenchFailure("the upgrade of " + name + " rolled back (" + outcome.reason() + "): " + outcome.message());
        }
        return outcome;
    }
}
