package io.luo4j.bench.core;

import io.luo4j.bench.Format;
import io.luo4j.bench.Json;
import io.luo4j.bench.Profile;
import io.luo4j.bench.Samples;
import io.luo4j.bench.SuiteResult;
import io.luo4j.bench.Table;
import io.luo4j.bench.TargetCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The core suite's figures: each JMH benchmark's median score (operations, or images, per second),
 * and the sizes of the image and of its Java-serialized baseline.
 */
public record CoreResult(Profile profile, Map<String, Samples> scores, long imageBytes, long serializedBytes) implements SuiteResult {
    private static final double TARGET_OPS = 1_000_000;
    private static final double TARGET_PARSE_BYTES = 1e9;

    public CoreResult {
        scores = Map.copyOf(scores);
    }

    private double score(String benchmark) {
        Samples samples = scores.get(benchmark);
        return samples == null ? Double.NaN : samples.median();
    }

    /** Preserve and retrieve together: both operations over the time both take. */
    double preserveRetrieveOps() {
        return 2 / (1 / score("OrchestratorBenchmark.preserve") + 1 / score("OrchestratorBenchmark.retrieve"));
    }

    double parseBytesPerSecond() {
        return score("ImageBenchmark.parse") * imageBytes;
    }

    @Override
    public String id() {
        return "core";
    }

    @Override
    public String title() {
        return "Core throughput (JMH)";
    }

    @Override
    public String method() {
        Profile.Jmh jmh = profile.jmh();
        return "JMH " + org.openjdk.jmh.util.Version.getPlainVersion() + ", single-threaded, "
                + Math.max(1, jmh.forks()) + " fork(s) x " + jmh.measurementIterations() + " measurement iterations of "
                + jmh.iteration().toMillis() + " ms after " + jmh.warmupIterations() + " warm-up iterations; the figure is the median"
                + " iteration. Workload: " + Format.count(Workload.SESSIONS) + " sessions x " + Workload.FILES + " files, a minimal"
                + " handler (8 bytes of data per file), so the orchestrator's own bookkeeping is measured: preserve into created"
                + " sessions; retrieve from a successor that loaded the handover; image write from its model and parse (every"
                + " check) from a direct buffer. Baselines: the same bookkeeping as plain HashMaps, and the image's content as a"
                + " Java-serialized object graph (" + Format.bytes(serializedBytes) + " against the image's " + Format.bytes(imageBytes) + ").";
    }

    @Override
    public List<Table> tables() {
        List<List<String>> rows = new ArrayList<>();
        row(rows, "preserve (per file)", "OrchestratorBenchmark.preserve", "HashMap put", "BaselineBenchmark.hashMapPut");
        row(rows, "retrieve (per file)", "OrchestratorBenchmark.retrieve", "HashMap get", "BaselineBenchmark.hashMapGet");
        row(rows, "create session", "OrchestratorBenchmark.createSession", "HashMap add", "BaselineBenchmark.hashMapAddSession");
        row(rows, "retrieve session", "OrchestratorBenchmark.retrieveSession", "HashMap lookup", "BaselineBenchmark.hashMapLookupSession");
        double combined = preserveRetrieveOps();
        double baselineCombined = 2 / (1 / score("BaselineBenchmark.hashMapPut") + 1 / score("BaselineBenchmark.hashMapGet"));
        rows.add(List.of("preserve + retrieve", Format.rate(combined), "HashMap put + get", Format.rate(baselineCombined),
                Format.ratio(baselineCombined / combined)));
        List<List<String>> images = new ArrayList<>();
        image(images, "write", "ImageBenchmark.write", "BaselineBenchmark.javaSerializationWrite", "ObjectOutputStream");
        image(images, "parse", "ImageBenchmark.parse", "BaselineBenchmark.javaSerializationRead", "ObjectInputStream");
        return List.of(
                new Table("Orchestrator operations, 10,000 sessions x 10 files (median ops/s)",
                        List.of("operation", "luo4j", "baseline", "baseline ops/s", "baseline / luo4j"), rows),
                new Table("The handover image of that workload (" + Format.bytes(imageBytes) + ")",
                        List.of("image", "luo4j ms", "luo4j throughput", "Java serialization ms", "Java serialization / luo4j"), images));
    }

    private void row(List<List<String>> rows, String operation, String benchmark, String baseline, String baselineBenchmark) {
        rows.add(List.of(operation, Format.rate(score(benchmark)), baseline, Format.rate(score(baselineBenchmark)),
                Format.ratio(score(baselineBenchmark) / score(benchmark))));
    }

    private void image(List<List<String>> rows, String what, String benchmark, String baselineBenchmark, String baseline) {
        double millis = 1000 / score(benchmark);
        double baselineMillis = 1000 / score(baselineBenchmark);
        rows.add(List.of(what, Format.millis(millis), Format.throughput(score(benchmark) * imageBytes), Format.millis(baselineMillis),
                Format.ratio(baselineMillis / millis)));
    }

    @Override
    public List<TargetCheck> targets() {
        double combined = preserveRetrieveOps();
        double parse = parseBytesPerSecond();
        return List.of(
                new TargetCheck(">= 1M preserve+retrieve ops/s single-threaded", Format.rate(combined), combined >= TARGET_OPS),
                new TargetCheck("image parse >= 1 GB/s", String.format(java.util.Locale.ROOT, "%.2f GB/s", parse / 1e9),
                        parse >= TARGET_PARSE_BYTES));
    }

    @Override
    public List<String> functionalErrors() {
        return scores.size() == CoreBench.BENCHMARKS.size() ? List.of() : List.of("core: some JMH benchmarks did not run");
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> medians = Json.object();
        for (String benchmark : CoreBench.BENCHMARKS) {
            medians.putAll(Json.object(benchmark, score(benchmark)));
        }
        return Json.object("imageBytes", imageBytes, "serializedBytes", serializedBytes,
                "preserveRetrieveOpsPerSecond", preserveRetrieveOps(), "imageParseBytesPerSecond", parseBytesPerSecond(),
                "medianScores", medians);
    }
}
