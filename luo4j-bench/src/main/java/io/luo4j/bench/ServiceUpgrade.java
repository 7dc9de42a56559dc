package io.luo4j.bench;

import io.luo4j.linux.RuntimeDirectory;
import io.luo4j.linux.control.ControlClient;
import io.luo4j.linux.control.ControlProtocol;
import io.luo4j.linux.control.StatusReport;
import io.luo4j.linux.control.UpgradeOutcome;
import java.nio.file.Path;
import java.util.Map;

/** One live update of a benchmarked service, asked for over its control socket as luoctl does. */
public final class ServiceUpgrade {
    private static final int TIMEOUT_SECONDS = 300;

    private ServiceUpgrade() {}

    /**
     * Upgrades service {@code name} of runtime directory {@code runtime} and returns the outcome.
     *
     * @throws BenchFailure when the upgrade rolled back: luo4j failed at its job
     */
    public static UpgradeOutcome run(Path runtime, String name) throws BenchFailure {
        UpgradeOutcome outcome = StatusReport.upgradeOutcome(ControlClient.request(RuntimeDirectory.controlSocket(runtime, name),
                ControlProtocol.request("upgrade", Map.of("timeout", Integer.toString(TIMEOUT_SECONDS))), phase -> {}));
        if (!outcome.committed()) {
            throw new BenchFailure("the upgrade of " + name + " rolled back (" + outcome.reason() + "): " + outcome.message());
        }
        return outcome;
    }
}
