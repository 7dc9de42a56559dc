package io.luo4j.bench.blackout;

import io.luo4j.bench.BenchFailure;
import io.luo4j.kv.client.KvProcess;
import java.io.IOException;
import java.time.Duration;

/**
 * Baseline (b): SO_REUSEPORT overlap, as tableflip- and nginx-style upgrades do. The old process
 * saves a snapshot; the new one starts, warms up, loads it and binds the same port beside the old
 * one; then the old one stops accepting, answers what its clients sent, closes them and exits.
 * Connections cannot move between processes, so every client reconnects (to the new one);
 * connections still in the old listener's accept queue are reset; and writes the old process took
 * after its snapshot are lost.
 */
final class OverlapSwitcher implements Switcher {
    private static final String NAME = "bench-overlap-";
    private final KvServices services;
    private KvProcess current;

    OverlapSwitcher(KvServices services) {
        this.services = services;
    }

    @Override
    public void start() throws Exception {
        current = startGeneration(0);
    }

    private KvProcess startGeneration(int number) throws IOException, InterruptedException {
        return services.start(NAME + number, "--reuseport", "true", "--snapshot", services.file("overlap.snapshot").toString());
    }

    @Override
    public double switchOnce(int number) throws Exception {
        AdminCommands.save(current);
        KvProcess next = startGeneration(number);
        AdminCommands.shutdown(current, "NOSAVE");
        if (!current.awaitExit(Duration.ofMinutes(5))) {
            throw new BenchFailure("the old process did not exit after SHUTDOWN NOSAVE");
        }
        current = next;
        return Double.NaN;
    }
}
