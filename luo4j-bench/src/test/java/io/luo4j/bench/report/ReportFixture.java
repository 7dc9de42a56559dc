package io.luo4j.bench.report;

import io.luo4j.bench.BenchReport;
import io.luo4j.bench.Machine;
import io.luo4j.bench.Profile;
import io.luo4j.bench.Samples;
import io.luo4j.bench.fds.CountResult;
import io.luo4j.bench.fds.DescriptorResult;
import io.luo4j.bench.state.SizeResult;
import io.luo4j.bench.state.StateSizeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A small report with made-up figures, for checking how reports are written. */
final class ReportFixture {
    private ReportFixture() {}

    static SizeResult size(long bytes, double handover, double baseline) {
        return new SizeResult(bytes, bytes, new Samples().add(handover), new Samples().add(handover * 10), new Samples().add(baseline * 0.7),
                new Samples().add(baseline * 0.3), new Samples().add(baseline), new Samples().add(baseline / 20), "");
    }

    static StateSizeResult state() {
        return new StateSizeResult(Profile.QUICK, List.of(size(64L << 20, 7.9, 245), size(1L << 30, 8.4, 3958), size(4L << 30, 12.8, 15185)));
    }

    static BenchReport report() {
        DescriptorResult fds = new DescriptorResult(List.of(
                new CountResult(100, new Samples().add(7.85), new Samples().add(1.17), 101, 7_475, ""),
                new CountResult(100_000, new Samples(), new Samples(), 0, 0, "skipped: EPERM, needs 100,512 open files and the hard limit is 20,000")));
        return new BenchReport("bin/luoctl bench --quick --json", new Machine(2, 24L << 30, "a \"quoted\" cpu", "6.18", "JDK 25"), Profile.QUICK,
                Instant.parse("2026-11-23T10:00:00Z"), Duration.ofSeconds(300), List.of(state(), fds));
    }
}
