/**
 * Core throughput with JMH: {@link io.luo4j.bench.core.OrchestratorBenchmark} (preserve, retrieve,
 * create and retrieve session) and {@link io.luo4j.bench.core.ImageBenchmark} (image write and
 * parse) on the {@link io.luo4j.bench.core.Workload} of 10,000 sessions x 10 files, and
 * {@link io.luo4j.bench.core.BaselineBenchmark} (HashMaps, Java serialization) on the same.
 * {@link io.luo4j.bench.core.CoreBench} runs them through JMH's API, each in a forked JVM, and
 * keeps the median iteration. They run on their own too:
 * {@code java -cp luo4j-cli/target/luoctl.jar org.openjdk.jmh.Main io.luo4j.bench.core}.
 */
package io.luo4j.bench.core;
