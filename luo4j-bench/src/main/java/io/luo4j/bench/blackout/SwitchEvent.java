package io.luo4j.bench.blackout;

import io.luo4j.kv.client.LatencyWindow;

/**
 * What the clients saw during one switch (from the request to replace the process until the new
 * one served alone).
 *
 * @param windowMillis         how long the switch took, start-up of the new process included
 * @param latency              the requests in flight during it
 * @param failed               requests without their right reply
 * @param dropped              connections that broke
 * @param refused              connection attempts refused
 * @param lostWrites           acknowledged increments gone afterwards
 * @param serviceBlackoutMillis the pause as the service measured it (luo4j only; NaN otherwise)
 */
record SwitchEvent(double windowMillis, LatencyWindow latency, long failed, long dropped, long refused, long lostWrites,
        double serviceBlackoutMillis) {}
