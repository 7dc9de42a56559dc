package io.luo4j.bench.blackout;

import io.luo4j.bench.Samples;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The switches of one mode (luo4j or a baseline), what redis-benchmark saw during one more, and
 * how many keys were still there at the end.
 */
record ModeResult(Mode mode, List<SwitchEvent> switches, RedisBenchmark.Result redisBenchmark, int keysVerified, int keys, String error) {

    ModeResult {
        switches = List.copyOf(switches);
    }

    /** The median over the switches of one figure. */
    double median(ToDoubleFunction<SwitchEvent> figure) {
        Samples samples = new Samples();
        switches.forEach(s -> samples.add(figure.applyAsDouble(s)));
        return samples.median();
    }

    /** The largest over the switches of one figure. */
    double worst(ToDoubleFunction<SwitchEvent> figure) {
        return switches.stream().mapToDouble(figure).max().orElse(Double.NaN);
    }

    /** The sum over the switches of one count. */
    long total(ToDoubleFunction<SwitchEvent> count) {
        return (long) switches.stream().mapToDouble(count).sum();
    }
}
