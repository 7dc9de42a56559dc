package io.luo4j.bench.blackout;

import io.luo4j.bench.BenchFailure;
import io.luo4j.kv.client.KvProcess;
import java.io.IOException;
import java.time.Duration;

/**
 * Baseline (a): a naive restart. The old process saves its data to a snapshot file and exits
 * (SHUTDOWN SAVE: stop accepting, answer what clients sent, close them); then the new one starts,
 * loads the snapshot and binds. Clients lose their connections and are refused until it listens.
 * The new process skips the warm-up: a restart that waited for it would only be longer.
 */
final class NaiveRestartSwitcher implements Switcher {
    private static final String NAME = "bench-restart-";
    private final KvServices services;
    private KvProcess current;

    NaiveRestartSwitcher(KvServices services) {
        this.services = services;
    }

    @Override
    public void start() throws Exception {
        current = startGeneration(0);
    }

    private KvProcess startGeneration(int number) throws IOException, InterruptedException {
        return services.start(NAME + number, "--snapshot", services.file("restart.snapshot").toString(), "--warm-up", "false");
    }

    @Override
    public double switchOnce(int number) throws Exception {
        AdminCommands.shutdown(current, "SAVE");
        if (!current.awaitExit(Duration.ofMinutes(5))) {
            throw new BenchFailure("the old process did not exit after SHUTDOWN SAVE");
        }
        current = startGeneration(number);
        return Double.NaN;
    }
}
