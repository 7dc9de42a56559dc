package io.luo4j.bench.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.bench.Profile;
import io.luo4j.bench.TargetCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateSizeResultTest {
    static final long MIB64 = 64L << 20;
    static final long GIB4 = 4L << 30;

    /** A size measured once: luo4j's handover and the baseline's save and load, in ms. */
    static SizeResult size(long bytes, double handover, double save, double load) {
        SizeResult.Builder builder = new SizeResult.Builder(bytes);
        builder.stateBytes(bytes);
        builder.luo4j(handover, 1);
        builder.baseline(save, load, 1);
        return builder.build();
    }

    @Test
    void flatAndFastEnoughMeetsBothTargets() {
        List<TargetCheck> targets = new StateSizeResult(Profile.QUICK, List.of(size(MIB64, 8, 100, 50), size(GIB4, 12, 10_000, 4_000)))
                .targets();
        assertEquals(2, targets.size());
        assertTrue(targets.get(0).met(), targets.get(0).toString()); // 12 / 8 = 1.5x
        assertTrue(targets.get(1).met(), targets.get(1).toString()); // 14000 / 12 = 1167x
        assertTrue(targets.get(1).measured().contains("1167x"), targets.get(1).measured());
    }

    @Test
    void aHandoverThatGrowsWithSizeOrIsNotFarAheadOfTheBaselineMissesThem() {
        List<TargetCheck> targets = new StateSizeResult(Profile.QUICK, List.of(size(MIB64, 8, 100, 50), size(GIB4, 17, 1_000, 600)))
                .targets();
        assertFalse(targets.get(0).met(), "17 ms is over 2x 8 ms");
        assertFalse(targets.get(1).met(), "1600 / 17 is under 100x");
    }

    @Test
    void aSizeThatFailedIsAFunctionalErrorAndNotMeasured() {
        SizeResult.Builder failed = new SizeResult.Builder(GIB4);
        failed.error("lost keys");
        StateSizeResult result = new StateSizeResult(Profile.QUICK, List.of(size(MIB64, 8, 100, 50), failed.build()));
        assertEquals(List.of("state 4 GiB: lost keys"), result.functionalErrors());
        assertEquals("not measured", result.targets().get(0).measured());
    }
}
