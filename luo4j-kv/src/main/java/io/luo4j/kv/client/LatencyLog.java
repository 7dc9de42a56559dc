package io.luo4j.kv.client;

import java.util.Arrays;

/**
 * One client's answered requests, in order: when each was sent and when its reply arrived
 * ({@link System#nanoTime()}). The client's thread appends; any thread may read a window while it
 * goes on.
 */
final class LatencyLog {
    private long[] sent = new long[1 << 14];
    private long[] answered = new long[1 << 14];
    private int count;

    synchronized void record(long sentNanos, long answeredNanos) {
        if (count == sent.length) {
            sent = Arrays.copyOf(sent, count * 2);
            answered = Arrays.copyOf(answered, count * 2);
        }
        sent[count] = sentNanos;
        answered[count] = answeredNanos;
        count++;
    }

    /**
     * Adds to {@code into} the latency of every request that was in flight at some time in
     * [{@code from}, {@code to}], and returns the longest time between two consecutive replies
     * that overlaps the window (a client that waited, or lost its connection and came back, shows
     * it there).
     */
    synchronized long window(long from, long to, LatencySet into) {
        long longestGap = 0;
        for (int i = 0; i < count; i++) {
            if (sent[i] <= to && answered[i] >= from) {
                into.add(answered[i] - sent[i]);
            }
            if (i > 0 && answered[i - 1] <= to && answered[i] >= from) {
                longestGap = Math.max(longestGap, answered[i] - answered[i - 1]);
            }
        }
        return longestGap;
    }
}
