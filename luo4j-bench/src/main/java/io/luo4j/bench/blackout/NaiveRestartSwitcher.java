package io.luo4j.bench.blackout;

/**
 * Baseline (a): a naive restart. The old process saves its data to a snapshot file and exits
 * (SHUTDOWN SAVE: stop accepting, answer what clients sent, close them); then the new one starts,
 * loads the snapshot and binds. Clients lose their connections and are refused until it listens.
 * The new process skips the warm-up: a restart that waited for it would only be longer.
 */
final class NaiveRestartSwitcher extends SnapshotSwitcher {
    NaiveRestartSwitcher(KvServices services) {
        super(services, "bench-restart-", "restart.snapshot", "--warm-up", "false");
    }

    @Override
    public double switchOnce(int number) throws Exception {
        AdminCommands.shutdown(current(), "SAVE");
        awaitExit("SHUTDOWN SAVE");
        serving(startGeneration(number));
        return Double.NaN;
    }
}
