package io.luo4j.linux.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luo4j.Errno;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An upgrade's JSON answer, as luoctl prints it, reads back to the outcome it was written from. */
class UpgradeAnswerTest {
    @Test
    void aCommittedUpgradeReadsBackFigureForFigure() {
        UpgradeOutcome committed = UpgradeOutcome.committed(3, 4242, 19001, 1_368_192, new UpgradeOutcome.Timings(870, 74.375, 241.875, 316.25));
        Report answer = StatusReport.upgrade("kv", committed);
        assertEquals(0, answer.exitCode());
        assertEquals(committed, StatusReport.upgradeOutcome(answer));
    }

    @Test
    void aRollbackKeepsItsReasonAndAMessageWithQuotesAndNewlines() {
        UpgradeOutcome rolledBack = UpgradeOutcome.refused(2, Errno.ETIMEDOUT, "the successor \"kv\" hung\nafter 5 s");
        Report answer = StatusReport.upgrade("kv", rolledBack);
        assertEquals(1, answer.exitCode());
        assertEquals(rolledBack, StatusReport.upgradeOutcome(answer));
    }

    @Test
    void theFactoriesKeepACommittedOutcomeApartFromTheOthers() {
        assertThrows(IllegalArgumentException.class, () -> new UpgradeOutcome(true, 1, Errno.EIO, "x", 0, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new UpgradeOutcome(false, 1, null, "x", 0, 0, 0, 0, 0, 0, 0));
        UpgradeOutcome rolledBack = UpgradeOutcome.rolledBack(4, Errno.EBADMSG, "damaged", 77, 1024,
                new UpgradeOutcome.Timings(900, 2.5, 0, 3.5));
        assertEquals(4, rolledBack.generation());
        assertEquals(77, rolledBack.successorPid());
        assertEquals(0, rolledBack.descriptors(), "nothing was handed over");
        assertEquals(3.5, rolledBack.blackoutMillis());
    }

    @Test
    void somethingElseIsNotTakenForAnUpgradesAnswer() {
        for (String json : List.of("{\"committed\":true}", "{\"committed\":true,\"blackoutMillis\":{\"nested\":1}}", "[1]", "{\"a\":1} x")) {
            assertThrows(IllegalArgumentException.class, () -> StatusReport.upgradeOutcome(new Report(List.of(), json, 0)), json);
        }
    }
}
