/**
 * The benchmarks of luo4j, each against a baseline measured in the same run: run them with
 * {@code bin/luoctl bench [--quick|--full] [--json] [--markdown FILE]}; {@link io.luo4j.bench.Bench}
 * runs the suites, a {@link io.luo4j.bench.BenchReport} holds what they found.
 *
 * <h2>The suites, in the order they run</h2>
 * <ol>
 *   <li>{@code blackout}: the kv service under checking client load, replaced by a luo4j upgrade,
 *       by a naive restart from a snapshot, and by an SO_REUSEPORT overlap; failed requests,
 *       dropped connections, lost writes, latency in the window (real processes, real sockets,
 *       redis-benchmark too).</li>
 *   <li>{@code state}: 64 MiB to 4 GiB (8 GiB with --full) of memfd state handed over, against
 *       saving and loading a snapshot file.</li>
 *   <li>{@code fds}: 1 to 100,000 descriptors in one session handed over, against a raw
 *       SCM_RIGHTS transfer.</li>
 *   <li>{@code core}: JMH, the orchestrator's operations and the image's write and parse at 10,000
 *       sessions x 10 files, against HashMaps and Java serialization.</li>
 *   <li>{@code memory}: heap per session and per file, against HashMaps.</li>
 * </ol>
 *
 * <h2>What they promise, and what they do not</h2>
 * The benchmarks report; they do not judge speed by failing. Each suite checks its
 * {@link io.luo4j.bench.TargetCheck targets} and says met or not met. They fail only on a
 * functional error ({@link io.luo4j.bench.BenchFailure}): a rolled-back upgrade, a lost key, a
 * checksum that changed, a failed request where luo4j promises none. A suite that cannot run (a
 * tool missing, a limit it may not raise) is reported with its reason; the others still run. Every
 * process and file they create lives in a scratch directory that is deleted at the end.
 *
 * <h2>Packages</h2>
 * One per suite ({@code blackout}, {@code state}, {@code fds}, {@code core}, {@code memory}), each a
 * runner and its result; {@code report} renders a {@link io.luo4j.bench.BenchReport} as text,
 * Markdown, JSON and the state-size plot.
 */
package io.luo4j.bench;
