package io.luo4j.bench;

/**
 * One of the targets the benchmarks are held to, and whether this run met it.
 *
 * @param target   what was aimed at, e.g. "100,000 fds handed over in < 1 s"
 * @param measured the figure this run measured, with its unit
 * @param met      whether the figure meets the target
 */
public record TargetCheck(String target, String measured, boolean met) {}
