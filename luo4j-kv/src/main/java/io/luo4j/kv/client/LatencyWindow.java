package io.luo4j.kv.client;

/**
 * The clients' view of a time window (an upgrade or a restart): the requests answered in it and
 * their latency, and the longest any client went without a reply.
 *
 * @param requests          requests in flight at some time in the window and answered
 * @param p50Millis         median latency of those requests
 * @param p99Millis         99th percentile
 * @param p999Millis        99.9th percentile
 * @param maxMillis         the slowest
 * @param longestGapMillis  the longest time between two consecutive replies to one client,
 *                          across a lost connection too
 */
public record LatencyWindow(int requests, double p50Millis, double p99Millis, double p999Millis, double maxMillis, double longestGapMillis) {

    static LatencyWindow of(LatencySet latencies, long longestGapNanos) {
        return new LatencyWindow(latencies.count(), latencies.percentileMillis(50), latencies.percentileMillis(99),
                latencies.percentileMillis(99.9), latencies.maxMillis(), longestGapNanos / 1e6);
    }
}
