package io.luo4j.bench.blackout;

import io.luo4j.bench.BenchFailure;
import io.luo4j.kv.client.KvProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the two baselines share: each generation is a new kv process that loads the data from a
 * snapshot file, and the old one must be made to go. Subclasses say when the snapshot is written
 * and when the new process starts relative to the old one's exit.
 */
abstract class SnapshotSwitcher implements Switcher {
    private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(5);
    private final KvServices services;
    private final String name;
    private final List<String> options;
    private KvProcess current;

    /** {@code options} are the kv service's, beside {@code --snapshot}. */
    SnapshotSwitcher(KvServices services, String name, String snapshotFile, String... options) {
        this.services = services;
        this.name = name;
        this.options = new ArrayList<>(List.of("--snapshot", services.file(snapshotFile).toString()));
        this.options.addAll(List.of(options));
    }

    @Override
    public final void start() throws Exception {
        current = startGeneration(0);
    }

    /** Starts generation {@code number}; returns once it serves. */
    final KvProcess startGeneration(int number) throws IOException, InterruptedException {
        return services.start(name + number, options.toArray(String[]::new));
    }

    /** The process that serves now. */
    final KvProcess current() {
        return current;
    }

    /** Waits until the serving process has exited, as {@code command} told it to. */
    final void awaitExit(String command) throws InterruptedException, BenchFailure {
        if (!current.awaitExit(EXIT_TIMEOUT)) {
            throw new BenchFailure("the old process did not exit after " + command);
        }
    }

    /** Makes {@code next} the process that serves. */
    final void serving(KvProcess next) {
        current = next;
    }
}
