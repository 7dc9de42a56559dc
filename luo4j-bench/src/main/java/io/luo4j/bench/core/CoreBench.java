package io.luo4j.bench.core;

import io.luo4j.bench.Profile;
import io.luo4j.bench.Samples;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH benchmarks of the core ({@link OrchestratorBenchmark}, {@link ImageBenchmark}) and
 * their baselines ({@link BaselineBenchmark}), one at a time in forked JVMs, and keeps the median
 * of each one's measurement iterations. JMH's own report of each goes to {@code jmh-BENCHMARK.log}
 * in the scratch directory.
 */
public final class CoreBench {
    /** Every benchmark, in the order it runs: luo4j's, then the baselines. */
    static final List<String> BENCHMARKS = List.of(
            "OrchestratorBenchmark.preserve", "OrchestratorBenchmark.retrieve", "OrchestratorBenchmark.createSession",
            "OrchestratorBenchmark.retrieveSession", "ImageBenchmark.write", "ImageBenchmark.parse",
            "BaselineBenchmark.hashMapPut", "BaselineBenchmark.hashMapGet", "BaselineBenchmark.hashMapAddSession",
            "BaselineBenchmark.hashMapLookupSession", "BaselineBenchmark.javaSerializationWrite", "BaselineBenchmark.javaSerializationRead");

    private CoreBench() {}

    public static CoreResult run(Profile profile, Path scratch, Consumer<String> progress) throws RunnerException, IOException {
        Map<String, Samples> scores = new LinkedHashMap<>();
        int n = 0;
        for (String benchmark : BENCHMARKS) {
            progress.accept("core (JMH): " + benchmark + " (" + ++n + "/" + BENCHMARKS.size() + ")");
            scores.put(benchmark, median(run(benchmark, profile.jmh(), scratch.resolve("jmh-" + benchmark + ".log"))));
        }
        return new CoreResult(profile, scores, ImageBenchmark.imageBytes(), BaselineBenchmark.serializedBytes());
    }

    private static Collection<RunResult> run(String benchmark, Profile.Jmh jmh, Path log) throws RunnerException {
        forkOnTheClassPath();
        TimeValue iteration = TimeValue.milliseconds(jmh.iteration().toMillis());
        Options options = new OptionsBuilder()
                .include("^" + CoreBench.class.getPackageName().replace(".", "\\.") + "\\." + benchmark.replace(".", "\\.") + "$")
                .forks(jmh.forks())
                .warmupIterations(jmh.warmupIterations()).warmupTime(iteration)
                .measurementIterations(jmh.measurementIterations()).measurementTime(iteration)
                .timeout(TimeValue.minutes(5))
                .jvmArgs("-Xms2g", "-Xmx2g")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL)
                .output(log.toString())
                .build();
        return new Runner(options).run();
    }

    /**
     * JMH starts each fork with {@code -cp} and this JVM's {@code java.class.path}; when luoctl runs
     * on the module path that is empty, so the forks get the module path's jars as their class path
     * (they run the benchmarks unnamed, as JMH expects). Changing the property here changes nothing
     * in this JVM: its class loaders were set up at start.
     */
    private static void forkOnTheClassPath() {
        String modulePath = System.getProperty("jdk.module.path");
        if (CoreBench.class.getModule().isNamed() && modulePath != null) {
            System.setProperty("java.class.path", modulePath);
        }
    }

    /** The median over every measurement iteration of every fork. */
    private static Samples median(Collection<RunResult> results) {
        Samples samples = new Samples();
        for (RunResult result : results) {
            for (BenchmarkResult benchmark : result.getBenchmarkResults()) {
                for (IterationResult iteration : benchmark.getIterationResults()) {
                    samples.add(iteration.getPrimaryResult().getScore());
                }
            }
        }
        return samples;
    }
}
