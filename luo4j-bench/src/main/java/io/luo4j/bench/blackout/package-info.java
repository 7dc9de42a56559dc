/**
 * Blackout under load: {@link io.luo4j.bench.blackout.BlackoutBench} starts the kv service, loads
 * the demo keys, puts checking clients on it and switches it several times with each
 * {@code Mode}'s {@code Switcher}: {@code LiveUpgradeSwitcher} (luo4j), and two baselines built on
 * {@code SnapshotSwitcher}: {@code NaiveRestartSwitcher} (SHUTDOWN SAVE, then a new process loads
 * the snapshot) and {@code OverlapSwitcher} (SO_REUSEPORT: a new process binds beside the old,
 * which drains and exits). Each switch becomes a
 * {@code SwitchEvent} (the clients' latency window, failures, drops, refused connects, lost writes);
 * then one more switch runs under {@code RedisBenchmark}. A luo4j switch that fails a request, drops
 * a connection or loses a write is a functional error; a baseline's is its result.
 *
 * <p>The second service is the Netty example ({@code io.luo4j.netty.example}): {@code NettyBlackout}
 * live-updates it on the NIO and the epoll transport under {@code HttpLoad}'s checking keep-alive
 * HTTP clients, and reports the worst latency a client saw during an upgrade, per transport. A
 * failed request, a dropped connection or a count lost or doubled is a functional error there too.
 */
package io.luo4j.bench.blackout;
