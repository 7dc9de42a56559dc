package io.luo4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.linux.control.Report;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A first end-to-end upgrade of a real service process. */
@Timeout(120)
class UpgradeIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void aServiceUpgradesToARealSuccessorAndKeepsItsConnectionAndState() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "it-basic")) {
            ServiceHarness.LineClient client = service.connect();
            assertEquals("1", client.call("INCR"));
            String pid = client.call("PID");
            Report report = service.upgrade();
            assertEquals(0, report.exitCode(), () -> report.text() + "\n" + service.progress + "\n" + service.log());
            assertEquals("2", client.call("INCR"), "the same connection, the same counter, after the upgrade");
            assertNotEquals(pid, client.call("PID"));
            assertEquals("1", client.call("GEN"));
            assertTrue(report.json().contains("\"committed\":true"), report.json());
            assertTrue(service.progress.stream().anyMatch(p -> p.startsWith("committed generation 1")), service.progress::toString);
        }
    }
}
