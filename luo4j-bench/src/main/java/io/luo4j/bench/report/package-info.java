/**
 * Rendering a {@link io.luo4j.bench.BenchReport}: {@link io.luo4j.bench.report.TextReport} for the
 * terminal, {@link io.luo4j.bench.report.MarkdownReport} for docs/benchmarks.md,
 * {@link io.luo4j.bench.report.JsonReport} for scripts, and {@link io.luo4j.bench.report.StatePlot},
 * the PNG of handover time against state size.
 */
package io.luo4j.bench.report;
