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
    /**
     * Generous limits: the benchmarks measure how long an upgrade takes (19,000 descriptors can
     * take longer than the default 1 s pause limit on a loaded machine), they do not test the
     * limits. The grace period is the service's.
     */
    private static final UpgradeRequest SETTINGS = new UpgradeRequest(List.of(), Duration.ofSeconds(300), Duration.ofSeconds(60), null);

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
