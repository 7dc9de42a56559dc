package io.luo4j.bench;

import io.luo4j.bench.blackout.BlackoutBench;
import io.luo4j.bench.core.CoreBench;
import io.luo4j.bench.fds.DescriptorBench;
import io.luo4j.bench.memory.MemoryBench;
import io.luo4j.bench.state.StateSizeBench;
import io.luo4j.kv.client.ScratchDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs the benchmark suites, in this order: blackout under load, state size, descriptor count,
 * core throughput (JMH), memory overhead. Each suite measures its baseline in the same run. A
 * suite that cannot run at all is reported as failed and the others still run; all work happens
 * in a scratch directory that is deleted at the end.
 */
public final class Bench {
    /** The suites by their --suites names, in the order they run. */
    public static final List<String> SUITES = List.of("blackout", "state", "fds", "core", "memory");

    private interface Suite {
        SuiteResult run(Profile profile, Path scratch, Consumer<String> progress) throws Exception;
    }

    private static final Map<String, Suite> RUNNERS = runners();
    private static final Map<String, String> TITLES = Map.of("blackout", "Blackout under load", "state", "State size", "fds",
            "Descriptor count", "core", "Core throughput (JMH)", "memory", "Memory overhead");

    private Bench() {}

    private static Map<String, Suite> runners() {
        Map<String, Suite> runners = new LinkedHashMap<>();
        runners.put("blackout", BlackoutBench::run);
        runners.put("state", StateSizeBench::run);
        runners.put("fds", DescriptorBench::run);
        runners.put("core", CoreBench::run);
        runners.put("memory", (profile, scratch, progress) -> MemoryBench.run(progress));
        return runners;
    }

    /**
     * Runs the {@code suites} (names from {@link #SUITES}) with {@code profile}, telling
     * {@code progress} what it does.
     *
     * @param command how the run was asked for, for the report
     * @throws IllegalArgumentException for an unknown suite name
     */
    public static BenchReport run(Profile profile, Set<String> suites, String command, Consumer<String> progress) throws Exception {
        for (String suite : suites) {
            if (!RUNNERS.containsKey(suite)) {
                throw new IllegalArgumentException("unknown suite \"" + suite + "\": choose from " + String.join(", ", SUITES));
            }
        }
        Instant started = Instant.now();
        long start = System.nanoTime();
        Machine machine = Machine.current();
        List<SuiteResult> results = new ArrayList<>();
        try (ScratchDirectory scratch = ScratchDirectory.create("luo4j-bench")) {
            for (Map.Entry<String, Suite> suite : RUNNERS.entrySet()) {
                if (suites.contains(suite.getKey())) {
                    results.add(runOne(suite.getKey(), suite.getValue(), profile, scratch.path(), progress));
                }
            }
        }
        return new BenchReport(command, machine, profile, started, Duration.ofNanos(System.nanoTime() - start), results);
    }

    private static SuiteResult runOne(String id, Suite suite, Profile profile, Path scratch, Consumer<String> progress) throws InterruptedException {
        try {
            return suite.run(profile, scratch, progress);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // a suite that cannot run does not stop the others
            progress.accept(id + ": could not run: " + e);
            return new FailedSuite(id, TITLES.get(id), e.toString());
        }
    }
}
