package io.luo4j.bench.blackout;

import io.luo4j.kv.client.KvProcess;

/**
 * Baseline (b): SO_REUSEPORT overlap, as tableflip- and nginx-style upgrades do. The old process
 * saves a snapshot; the new one starts, warms up, loads it and binds the same port beside the old
 * one; then the old one stops accepting, answers what its clients sent, closes them and exits.
 * Connections cannot move between processes, so every client reconnects (to the new one);
 * connections still in the old listener's accept queue are reset; and writes the old process took
 * after its snapshot are lost.
 */
final class OverlapSwitcher extends SnapshotSwitcher {
    OverlapSwitcher(KvServices services) {
        super(services, "bench-overlap-", "overlap.snapshot", "--reuseport", "true");
    }

    @Override
    public double switchOnce(int number) throws Exception {
        AdminCommands.save(current());
        KvProcess next = startGeneration(number);
        AdminCommands.shutdown(current(), "NOSAVE");
        awaitExit("SHUTDOWN NOSAVE");
        serving(next);
        return Double.NaN;
    }
}
