package io.luo4j.bench.state;

import io.luo4j.bench.Format;
import io.luo4j.bench.Json;
import io.luo4j.bench.Profile;
import io.luo4j.bench.SuiteResult;
import io.luo4j.bench.Table;
import io.luo4j.bench.TargetCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The state-size suite's figures: luo4j's handover against a snapshot file, per size. */
public record StateSizeResult(Profile profile, List<SizeResult> sizes) implements SuiteResult {
    private static final long SMALL = 64L << 20;
    private static final long LARGE = 4L << 30;

    public StateSizeResult {
        sizes = List.copyOf(sizes);
    }

    @Override
    public String id() {
        return "state";
    }

    @Override
    public String title() {
        return "State size";
    }

    @Override
    public String method() {
        return "The kv service is filled with DEBUG POPULATE (values of 256 KiB) to each size, then live-updated "
                + profile.repeats() + " times: *handover* is freeze to ready (freeze + handover in the upgrade's report), *first full"
                + " read* is a DEBUG DIGEST in the successor right after, which reads every byte of every memfd segment (and must"
                + " give the checksum the data had before). The baseline, in the same run on the same data, is a restart through"
                + " a snapshot file, " + profile.repeats() + " times: SAVE (the heap's bytes as they are, one sequential write,"
                + " forced to disk: the fastest snapshot there can be), SHUTDOWN, a new process that loads the file into new"
                + " memfds, then the same DEBUG DIGEST. The file is read back from the page cache, which favours the baseline.";
    }

    @Override
    public List<Table> tables() {
        List<List<String>> rows = new ArrayList<>();
        for (SizeResult s : sizes) {
            double luo4jTotal = s.handover().median() + s.read().median();
            double baselineTotal = s.baselineHandover().median() + s.baselineRead().median();
            rows.add(List.of(Format.bytes(s.size()), Format.bytes(s.stateBytes()), Format.millis(s.handover().median()),
                    Format.millis(s.read().median()), Format.millis(s.save().median()), Format.millis(s.load().median()),
                    Format.millis(s.baselineHandover().median()), Format.millis(s.baselineRead().median()),
                    Format.ratio(s.baselineHandover().median() / s.handover().median()), Format.ratio(baselineTotal / luo4jTotal),
                    s.error()));
        }
        return List.of(new Table("Handing over memfd state (medians)", List.of("state", "memfd bytes", "luo4j handover ms",
                "luo4j first read ms", "snapshot save ms", "snapshot load ms", "baseline handover ms", "baseline first read ms",
                "handover speed-up", "until fully read, speed-up", "error"), rows));
    }

    private Optional<SizeResult> size(long bytes) {
        return sizes.stream().filter(s -> s.size() == bytes && s.error().isEmpty()).findFirst();
    }

    @Override
    public List<TargetCheck> targets() {
        List<TargetCheck> targets = new ArrayList<>();
        Optional<SizeResult> small = size(SMALL);
        Optional<SizeResult> large = size(LARGE);
        if (small.isPresent() && large.isPresent()) {
            double flatness = large.get().handover().median() / small.get().handover().median();
            targets.add(new TargetCheck("handover time flat in size: 4 GiB within 2x of 64 MiB",
                    Format.millis(large.get().handover().median()) + " ms vs " + Format.millis(small.get().handover().median()) + " ms: "
                            + Format.ratio(flatness), flatness <= 2));
        } else {
            targets.add(new TargetCheck("handover time flat in size: 4 GiB within 2x of 64 MiB", "not measured", false));
        }
        if (large.isPresent()) {
            double speedUp = large.get().baselineHandover().median() / large.get().handover().median();
            targets.add(new TargetCheck(">= 100x faster than the snapshot baseline at 4 GiB",
                    Format.millis(large.get().handover().median()) + " ms vs " + Format.millis(large.get().baselineHandover().median())
                            + " ms: " + Format.ratio(speedUp), speedUp >= 100));
        } else {
            targets.add(new TargetCheck(">= 100x faster than the snapshot baseline at 4 GiB", "not measured", false));
        }
        return targets;
    }

    @Override
    public List<String> functionalErrors() {
        return sizes.stream().filter(s -> !s.error().isEmpty()).map(s -> "state " + Format.bytes(s.size()) + ": " + s.error()).toList();
    }

    @Override
    public Map<String, Object> json() {
        return Json.object("sizes", sizes.stream().map(s -> Json.object(
                "bytes", s.size(), "stateBytes", s.stateBytes(),
                "handoverMillis", s.handover().median(), "firstReadMillis", s.read().median(),
                "baselineSaveMillis", s.save().median(), "baselineLoadMillis", s.load().median(),
                "baselineHandoverMillis", s.baselineHandover().median(),
                "baselineFirstReadMillis", s.baselineRead().median(),
                "handoverSpeedUp", s.baselineHandover().median() / s.handover().median(),
                "repeats", s.handover().count(), "error", s.error())).toList());
    }
}
