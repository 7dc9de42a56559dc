package io.luo4j.bench;

import java.util.ArrayList;
import java.util.List;

/** Repeated measurements of one figure, summarized by their median (and range). */
public final class Samples {
    private final List<Double> values = new ArrayList<>();

    public Samples add(double value) {
        values.add(value);
        return this;
    }

    public int count() {
        return values.size();
    }

    /** The median (the mean of the middle two for an even count); NaN when empty. */
    public double median() {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public double min() {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    public List<Double> values() {
        return List.copyOf(values);
    }
}
