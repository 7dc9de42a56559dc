package io.luo4j.bench.fds;

import io.luo4j.bench.Format;
import io.luo4j.bench.Json;
import io.luo4j.bench.SuiteResult;
import io.luo4j.bench.Table;
import io.luo4j.bench.TargetCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The descriptor-count suite's figures. */
public record DescriptorResult(List<CountResult> counts) implements SuiteResult {
    /** The kernel LUO's cap on files per session: two 4 KiB pages of file entries. */
    static final int KERNEL_SESSION_FILES = 128;
    private static final int LARGE = 100_000;
    private static final double TARGET_MILLIS = 1000;

    public DescriptorResult {
        counts = List.copyOf(counts);
    }

    @Override
    public String id() {
        return "fds";
    }

    @Override
    public String title() {
        return "Descriptor count";
    }

    @Override
    public String method() {
        return "A service holds N memfds in one session and is live-updated; *handover* is freeze to ready (freeze, image, SCM_RIGHTS"
                + " batches of 253, the successor's deserialization and its retrieval of every memfd, which it checks by name). The"
                + " baseline, in the same run, sends as many fresh memfds over the same kind of socket between two threads and does"
                + " nothing else: the floor of the transport. The kernel's LUO holds at most " + KERNEL_SESSION_FILES
                + " files per session; luo4j's default limit is 1,000,000 (Limits). The service closes its own copy of each memfd"
                + " once preserved (the orchestrator's reference keeps it), so a process needs the count, plus some, as its"
                + " open-file limit; counts the limit forbids are skipped and the largest it allows is measured instead.";
    }

    @Override
    public List<Table> tables() {
        List<List<String>> rows = new ArrayList<>();
        for (CountResult c : counts) {
            double median = c.handover().median();
            rows.add(List.of(Format.count(c.count()), Format.ratio((double) c.count() / KERNEL_SESSION_FILES), Format.millis(median),
                    Double.isNaN(median) ? "-" : String.format(java.util.Locale.ROOT, "%.2f", median * 1000 / c.count()),
                    Format.millis(c.baseline().median()), Format.ratio(median / c.baseline().median()),
                    c.imageBytes() == 0 ? "-" : Format.bytes(c.imageBytes()), c.error()));
        }
        return List.of(new Table("Handing over N descriptors in one session (medians)", List.of("descriptors", "x kernel cap",
                "luo4j handover ms", "per fd us", "raw SCM_RIGHTS ms", "luo4j / raw", "image", "note"), rows));
    }

    @Override
    public List<TargetCheck> targets() {
        Optional<CountResult> large = counts.stream().filter(c -> c.count() == LARGE && c.error().isEmpty()).findFirst();
        int most = counts.stream().filter(c -> c.error().isEmpty()).mapToInt(CountResult::count).max().orElse(0);
        List<TargetCheck> targets = new ArrayList<>();
        targets.add(large.map(c -> new TargetCheck("100,000 fds handed over in < 1 s", Format.millis(c.handover().median()) + " ms",
                c.handover().median() < TARGET_MILLIS)).orElse(new TargetCheck("100,000 fds handed over in < 1 s", notMeasured(), false)));
        targets.add(new TargetCheck("past the kernel's 128 files per session", Format.count(most) + " in one session ("
                + Format.ratio((double) most / KERNEL_SESSION_FILES) + ")", most > KERNEL_SESSION_FILES));
        return targets;
    }

    /** Why the large count is missing, and what the largest measured count projects (labelled as a projection). */
    private String notMeasured() {
        String why = counts.stream().filter(c -> c.count() == LARGE).map(CountResult::error).findFirst().orElse("not in this profile");
        Optional<CountResult> largest = counts.stream().filter(c -> c.error().isEmpty() && c.count() < LARGE)
                .max(java.util.Comparator.comparingInt(CountResult::count));
        return "not measured (" + why + ")" + largest.map(c -> "; projected from " + Format.count(c.count()) + " fds at "
                + Format.millis(c.handover().median() * 1000 / c.count()) + " us each: "
                + Format.millis(c.handover().median() * LARGE / c.count()) + " ms").orElse("");
    }

    @Override
    public List<String> functionalErrors() {
        return counts.stream().filter(c -> !c.error().isEmpty() && !c.error().startsWith("skipped"))
                .map(c -> "descriptors " + c.count() + ": " + c.error()).toList();
    }

    @Override
    public Map<String, Object> json() {
        return Json.object("counts", counts.stream().map(c -> Json.object(
                "count", c.count(), "handoverMillis", c.handover().median(),
                "perFdMicros", c.handover().median() * 1000 / c.count(),
                "rawTransferMillis", c.baseline().median(), "descriptors", c.descriptors(),
                "imageBytes", c.imageBytes(), "repeats", c.handover().count(), "error", c.error())).toList());
    }
}
