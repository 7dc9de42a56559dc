package io.luo4j.kv.client;

import java.util.Arrays;

/** Latencies in nanoseconds, and their percentiles (nearest rank). */
public final class LatencySet {
    private long[] values = new long[1024];
    private int count;
    private boolean sorted = true;

    public void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
        sorted = false;
    }

    public int count() {
        return count;
    }

    /**
     * The {@code p}-th percentile (0 < p <= 100) in milliseconds: the smallest latency at least
     * {@code p}% of the values are at or below; 0 when empty.
     */
    public double percentileMillis(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], not " + p);
        }
        if (count == 0) {
            return 0;
        }
        if (!sorted) {
            Arrays.sort(values, 0, count);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100 * count);
        return values[Math.max(0, rank - 1)] / 1e6;
    }

    public double maxMillis() {
        return count == 0 ? 0 : percentileMillis(100);
    }
}
