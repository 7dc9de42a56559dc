package io.luo4j.linux.internal;

import io.luo4j.linux.JavaCommand;
import io.luo4j.linux.testservice.FailedUpgradeCheck;
import io.luo4j.linux.testservice.ServiceHarness;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 51, the image damaged on its way: the successor command is a {@link CorruptingRelay} in
 * front of the real successor (the fault is the test's, not a flag of luo4j's), which must find the
 * image corrupt (EBADMSG); the predecessor rolls back and serves on with everything.
 */
@Timeout(300)
class ImageCorruptedInTransitTest {
    @TempDir
    Path dir;

    @Test
    void scenario51_anImageCorruptedInTransitRollsBackAndThePredecessorKeepsServingEverything() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "it-corrupt", 1 << 20, List.of(), List.of())) {
            String relay = ServiceHarness.shellLine(
                    JavaCommand.of(CorruptingRelay.class.getName(), List.of("-XX:TieredStopAtLevel=1"), service.command));
            FailedUpgradeCheck.rollsBackAndServesOn(service, false, relay, 60, "EBADMSG");
        }
    }
}
