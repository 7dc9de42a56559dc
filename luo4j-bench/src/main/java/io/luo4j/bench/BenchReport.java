package io.luo4j.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything one run of the benchmarks found, with what is needed to reproduce and compare it.
 *
 * @param command the command that produced it, as a user types it
 * @param machine where it ran
 * @param profile how much it measured
 * @param started when it started
 * @param took    how long it took
 * @param suites  each suite's result, in the order they ran
 */
public record BenchReport(String command, Machine machine, Profile profile, Instant started, Duration took, List<SuiteResult> suites) {
    public BenchReport {
        suites = List.copyOf(suites);
    }

    /** Every functional error of every suite: non-empty means the run failed. */
    public List<String> functionalErrors() {
        return suites.stream().flatMap(s -> s.functionalErrors().stream()).toList();
    }

    /** Every target of every suite. */
    public List<TargetCheck> targets() {
        return suites.stream().flatMap(s -> s.targets().stream()).toList();
    }
}
