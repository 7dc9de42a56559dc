package io.luo4j.bench.memory;

import io.luo4j.bench.Format;
import io.luo4j.bench.Json;
import io.luo4j.bench.SuiteResult;
import io.luo4j.bench.Table;
import io.luo4j.bench.TargetCheck;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory suite's figures, in bytes.
 *
 * @param perSession         heap per session (created, empty)
 * @param perFile            heap per preserved file (minimal handler)
 * @param baselinePerSession the same as a HashMap in a HashMap
 * @param baselinePerFile    the same as a HashMap entry
 * @param perMemfd           heap per real memfd preserved by memfd-v1, handler state included
 * @param imagePerFile       image bytes per file of the 10,000 x 10 workload
 * @param imageBytes         that image
 */
public record MemoryResult(double perSession, double perFile, double baselinePerSession, double baselinePerFile, double perMemfd,
        double imagePerFile, long imageBytes) implements SuiteResult {

    @Override
    public String id() {
        return "memory";
    }

    @Override
    public String title() {
        return "Memory overhead";
    }

    @Override
    public String method() {
        return "Java heap in use after full collections, before and after creating 10,000 sessions and preserving 10 files in each"
                + " (a minimal handler, so this is the orchestrator's own bookkeeping), against the same structure as a HashMap of"
                + " HashMaps; then per real memfd preserved by the built-in memfd-v1 handler (10,000 of them, the handler's state"
                + " included; the kernel's own per-descriptor memory is not counted). The image bytes per file are those of the"
                + " 10,000 x 10 workload's handover image.";
    }

    @Override
    public List<Table> tables() {
        return List.of(new Table("Bytes of Java heap", List.of("what", "luo4j", "HashMap baseline", "luo4j / baseline"), List.of(
                List.of("per session", bytes(perSession), bytes(baselinePerSession), Format.ratio(perSession / baselinePerSession)),
                List.of("per preserved file", bytes(perFile), bytes(baselinePerFile), Format.ratio(perFile / baselinePerFile)),
                List.of("per preserved memfd (memfd-v1)", bytes(perMemfd), "-", "-"),
                List.of("image per file", bytes(imagePerFile), "-", "-"))));
    }

    private static String bytes(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    @Override
    public List<TargetCheck> targets() {
        return List.of();
    }

    @Override
    public List<String> functionalErrors() {
        return List.of();
    }

    @Override
    public Map<String, Object> json() {
        return Json.object("perSessionBytes", perSession, "perFileBytes", perFile, "baselinePerSessionBytes", baselinePerSession,
                "baselinePerFileBytes", baselinePerFile, "perMemfdBytes", perMemfd, "imageBytesPerFile", imagePerFile,
                "imageBytes", imageBytes);
    }
}
