package io.luo4j.bench.blackout;

import io.luo4j.bench.BenchFailure;
import io.luo4j.bench.Format;
import io.luo4j.bench.Profile;
import io.luo4j.kv.client.CheckedLoad;
import io.luo4j.kv.client.DemoKeys;
import io.luo4j.kv.client.KvProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Blackout under load: the kv service, holding the demo data set, is replaced several times while
 * checking clients hammer it, once per {@link Mode}: luo4j's live update, a naive restart with a
 * snapshot, and an SO_REUSEPORT overlap. Then once more with redis-benchmark as the only client.
 * Then the second service, the Netty example, is live-updated on each transport under checking
 * HTTP clients ({@link NettyBlackout}).
 */
public final class BlackoutBench {
    private static final long STEADY_MILLIS = 1000;
    private static final long SETTLE_MILLIS = 500;
    private static final long BETWEEN_MILLIS = 1000;
    private static final long REDIS_BENCHMARK_LEAD_MILLIS = 1000;
    private static final double REDIS_BENCHMARK_TAIL_SECONDS = 3;

    private BlackoutBench() {}

    public static BlackoutResult run(Profile profile, Path scratch, Consumer<String> progress) throws InterruptedException {
        List<ModeResult> modes = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            modes.add(run(mode, profile, scratch.resolve("blackout-" + mode.id), progress));
        }
        return new BlackoutResult(profile, modes, NettyBlackout.run(profile, scratch, progress));
    }

    private static ModeResult run(Mode mode, Profile profile, Path directory, Consumer<String> progress) throws InterruptedException {
        List<SwitchEvent> switches = new ArrayList<>();
        RedisBenchmark.Result redis = RedisBenchmark.Result.skipped("not run");
        int verified = 0;
        String error = "";
        try {
            Files.createDirectories(directory);
            int port = KvProcess.freePort();
            try (KvServices services = new KvServices(directory, port)) {
                Switcher switcher = mode.switcher(services);
                String label = "blackout, " + mode.label;
                progress.accept(label + ": starting the kv service and loading " + Format.count(profile.keys()) + " keys");
                switcher.start();
                DemoKeys.load(port, profile.keys());
                try (CheckedLoad load = new CheckedLoad(port, profile.keys(), profile.clients())) {
                    Thread.sleep(STEADY_MILLIS);
                    for (int n = 1; n <= profile.repeats(); n++) {
                        progress.accept(label + ": switch " + n + "/" + profile.repeats() + " under " + profile.clients() + " clients");
                        switches.add(measure(switcher, n, load));
                        Thread.sleep(BETWEEN_MILLIS);
                    }
                }
                redis = duringOneMore(switcher, profile.repeats() + 1, port, directory, switches, progress, label);
                verified = DemoKeys.verify(port, profile.keys());
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // BenchFailure, IOException, or a bug: the mode ends, the report says why
            error = e instanceof BenchFailure ? e.getMessage() : e.toString();
        }
        return new ModeResult(mode, switches, redis, verified, profile.keys(), error);
    }

    private static SwitchEvent measure(Switcher switcher, int number, CheckedLoad load) throws Exception {
        long failed = load.failures();
        long dropped = load.connectionsLost();
        long refused = load.refusedConnects();
        long lost = load.lostWrites();
        long start = System.nanoTime();
        double serviceBlackout = switcher.switchOnce(number);
        long end = System.nanoTime();
        Thread.sleep(SETTLE_MILLIS); // the clients that were refused or waiting come back
        return new SwitchEvent((end - start) / 1e6, load.window(start, end), load.failures() - failed, load.connectionsLost() - dropped,
                load.refusedConnects() - refused, load.lostWrites() - lost, serviceBlackout);
    }

    /** One more switch, with redis-benchmark as the only client: sized to run a few seconds past the switch. */
    private static RedisBenchmark.Result duringOneMore(Switcher switcher, int number, int port, Path directory, List<SwitchEvent> switches,
            Consumer<String> progress, String label) throws Exception {
        if (!RedisBenchmark.installed()) {
            return RedisBenchmark.Result.skipped("redis-benchmark is not installed: apt-get install redis-tools");
        }
        RedisBenchmark benchmark = new RedisBenchmark(port, directory);
        double rps = benchmark.calibrate();
        double windowSeconds = switches.stream().mapToDouble(SwitchEvent::windowMillis).max().orElse(5000) / 1000;
        long requests = (long) (rps * (REDIS_BENCHMARK_LEAD_MILLIS / 1000.0 + windowSeconds + REDIS_BENCHMARK_TAIL_SECONDS));
        progress.accept(label + ": one more switch under redis-benchmark (" + Format.count(requests) + " SETs)");
        RedisBenchmark.Run run = benchmark.start(requests, "redis-benchmark-during-switch");
        Thread.sleep(REDIS_BENCHMARK_LEAD_MILLIS);
        switcher.switchOnce(number);
        return benchmark.await(run);
    }
}
