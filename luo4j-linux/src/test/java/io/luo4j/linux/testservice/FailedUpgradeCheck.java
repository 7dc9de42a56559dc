package io.luo4j.linux.testservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scenario 51's check, shared by every way an upgrade can fail before its commit: a client with
 * state and a half-sent command; the upgrade fails; the predecessor still serves, with its pid, its
 * state, the half command, new connections, generation 0; and a later upgrade commits.
 */
public final class FailedUpgradeCheck {
    private FailedUpgradeCheck() {}

    /**
     * Upgrades {@code service} with successor command {@code exec} (empty: its own), expecting a
     * rollback for {@code reason}; {@code failFreeze} arms the test service's freeze fault first.
     */
    public static void rollsBackAndServesOn(ServiceHarness service, boolean failFreeze, String exec, int timeoutSeconds, String reason) {
        ServiceHarness.LineClient client = service.connect();
        assertEquals("1", client.call("INCR"));
        String pid = client.call("PID");
        String sum = client.call("SUM");
        if (failFreeze) {
            assertEquals("ARMED", client.call("FAILFREEZE"));
        }
        client.send("PI"); // a half command held by the predecessor through the failed upgrade
        service.awaitPending(2);
        ServiceHarness.Answer report = service.upgrade(exec, timeoutSeconds);

        assertEquals(1, report.exitCode(), () -> "expected a rollback: " + report.text() + "\n" + service.log());
        assertTrue(report.json().contains("\"reason\":\"" + reason + "\""), report.json() + "\n" + service.progress);
        assertTrue(report.text().get(0).contains("rolled back"), report.text()::toString);
        assertEquals("PONG", client.call("NG"), "the half command survived the rollback");
        assertEquals(pid, client.call("PID"), "the predecessor still serves");
        assertEquals("1", client.call("GET"), "its state is intact");
        assertEquals(sum, client.call("SUM"));
        assertEquals("2", client.call("INCR"), "and it goes on changing it");
        try (ServiceHarness.LineClient fresh = service.connect()) {
            assertEquals("PONG", fresh.call("PING"), "new connections are accepted");
        }
        assertTrue(service.control("status").text().get(0).contains("generation 0  running"), service.control("status").text()::toString);
        service.assertCommitted(service.upgrade()); // and a later upgrade succeeds
        assertEquals("3", client.call("INCR"));
    }
}
