package io.luo4j.linux.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luo4j.Errno;
import io.luo4j.linux.handover.UpgradeOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An upgrade's JSON answer, as luoctl prints it, reads back to the outcome it was written from. */
class UpgradeAnswerTest {
    @Test
    void aCommittedUpgradeReadsBackFigureForFigure() {
        UpgradeOutcome committed = new UpgradeOutcome(true, 3, null, null, 4242, 19001, 1_368_192, 870, 74.375, 241.875, 316.25);
        Report answer = StatusReport.upgrade("kv", committed);
        assertEquals(0, answer.exitCode());
        assertEquals(committed, StatusReport.upgradeOutcome(answer));
    }

    @Test
    void aRollbackKeepsItsReasonAndAMessageWithQuotesAndNewlines() {
        UpgradeOutcome rolledBack = new UpgradeOutcome(false, 2, Errno.ETIMEDOUT, "the successor \"kv\" hung\nafter 5 s", 0, 0, 0, 0, 0, 0, 0);
        Report answer = StatusReport.upgrade("kv", rolledBack);
        assertEquals(1, answer.exitCode());
        assertEquals(rolledBack, StatusReport.upgradeOutcome(answer));
    }

    @Test
    void somethingElseIsNotTakenForAnUpgradesAnswer() {
        for (String json : List.of("{\"committed\":true}", "{\"committed\":true,\"blackoutMillis\":{\"nested\":1}}", "[1]", "{\"a\":1} x")) {
            assertThrows(IllegalArgumentException.class, () -> StatusReport.upgradeOutcome(new Report(List.of(), json, 0)), json);
        }
    }
}
