/**
 * Driving a kv service from outside, as the demo and the benchmarks do:
 * {@link io.luo4j.kv.client.KvProcess} starts one as a real JVM and waits until it serves;
 * {@link io.luo4j.kv.client.DemoKeys} loads and verifies a checkable data set;
 * {@link io.luo4j.kv.client.CheckedLoad} runs clients that check every reply, count failures, lost
 * connections and lost writes, and log every request's times so that a window (an upgrade, a
 * restart) can be summarized as a {@link io.luo4j.kv.client.LatencyWindow}.
 */
package io.luo4j.kv.client;
