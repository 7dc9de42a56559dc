package io.luo4j.bench;

import java.time.Duration;
import java.util.List;

/**
 * How much to measure: repeats and sizes for every suite. {@link #QUICK} runs in a few minutes on
 * two cores; {@link #FULL} adds an 8 GiB state, more repeats and longer JMH runs.
 *
 * @param name             what the report calls it ("quick", "full")
 * @param repeats          upgrades (and baseline restarts) per measured point; medians are over these
 * @param clients          concurrent checking clients during the blackout measurements
 * @param keys             keys of the demo data set loaded before the blackout measurements
 * @param stateSizes       memfd state handed over, in bytes
 * @param descriptorCounts preserved descriptors handed over
 * @param jmh              the JMH run's shape
 */
public record Profile(String name, int repeats, int clients, int keys, List<Long> stateSizes, List<Integer> descriptorCounts, Jmh jmh) {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** JMH: forks (0: in this JVM), warm-up and measurement iterations, each {@code iteration} long. */
    public record Jmh(int forks, int warmupIterations, int measurementIterations, Duration iteration) {}

    public static final Profile QUICK = new Profile("quick", 3, 8, 100_000, List.of(64 * MIB, GIB, 4 * GIB),
            List.of(1, 100, 10_000, 100_000), new Jmh(1, 3, 5, Duration.ofSeconds(1)));

    public static final Profile FULL = new Profile("full", 5, 8, 100_000, List.of(64 * MIB, GIB, 4 * GIB, 8 * GIB),
            List.of(1, 100, 10_000, 100_000), new Jmh(2, 5, 10, Duration.ofSeconds(1)));

    public Profile {
        stateSizes = List.copyOf(stateSizes);
        descriptorCounts = List.copyOf(descriptorCounts);
        if (repeats < 1 || clients < 1 || keys < 1) {
            throw new IllegalArgumentException("repeats, clients and keys must be at least 1");
        }
    }
}
