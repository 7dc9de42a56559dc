package io.luo4j.bench.state;

import io.luo4j.bench.BenchFailure;
import io.luo4j.bench.Format;
import io.luo4j.bench.Profile;
import io.luo4j.bench.Samples;
import io.luo4j.bench.ServiceUpgrade;
import io.luo4j.kv.client.InfoReply;
import io.luo4j.kv.client.KvProcess;
import io.luo4j.kv.resp.RespClient;
import io.luo4j.linux.control.UpgradeOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * State size: the kv service is filled with {@code DEBUG POPULATE} to each size, then handed over
 * by luo4j several times, then restarted from a snapshot file several times (the baseline). After
 * each, the successor reads every byte once ({@code DEBUG DIGEST}), which must give the checksum the
 * data had before: nothing may be lost or changed.
 */
public final class StateSizeBench {
    /** Values of 256 KiB less their entry header: each fills one 256 KiB block of the heap. */
    static final int VALUE_BYTES = (256 << 10) - 64;
    private static final long HEADROOM = 256L << 20;
    private static final List<String> JVM_OPTIONS = List.of("-Xmx1g");
    private static final int LONG_TIMEOUT_MILLIS = 1_800_000;

    private StateSizeBench() {}

    public static StateSizeResult run(Profile profile, Path scratch, Consumer<String> progress) throws InterruptedException {
        List<SizeResult> sizes = new ArrayList<>();
        for (long size : profile.stateSizes()) {
            sizes.add(run(size, profile.repeats(), scratch.resolve("state-" + (size >> 20)), progress));
        }
        return new StateSizeResult(profile, sizes);
    }

    private static SizeResult run(long size, int repeats, Path directory, Consumer<String> progress) throws InterruptedException {
        SizeResult.Builder result = new SizeResult.Builder(size);
        String label = "state " + Format.bytes(size);
        List<KvProcess> started = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            int port = KvProcess.freePort();
            Path snapshot = directory.resolve("state.snapshot");
            String name = "state-" + (size >> 20);
            progress.accept(label + ": starting the kv service and filling it");
            KvProcess current = start(started, name, port, directory, size, snapshot, true);
            long keys = Math.max(1, size * 15 / 16 / (256 << 10));
            String digest;
            try (RespClient client = current.connect()) {
                expectOk(client.call("DEBUG", "POPULATE", keys, "state", VALUE_BYTES), "DEBUG POPULATE");
                digest = (String) client.call("DEBUG", "DIGEST");
                result.stateBytes(Long.parseLong(InfoReply.field(RespClient.text(client.call("INFO")), "luo4j_state_bytes")));
            }
            for (int n = 1; n <= repeats; n++) {
                progress.accept(label + ": luo4j upgrade " + n + "/" + repeats);
                UpgradeOutcome outcome = ServiceUpgrade.run(directory, name);
                result.luo4j(outcome.freezeMillis() + outcome.handoverMillis(), timedDigest(current, digest, "luo4j upgrade " + n));
            }
            for (int n = 1; n <= repeats; n++) {
                progress.accept(label + ": baseline restart " + n + "/" + repeats + " (save, exit, start, load)");
                double saveMillis;
                ProcessHandle serving = ProcessHandle.of(current.servingPid()).orElseThrow();
                try (RespClient client = current.connect()) {
                    long start = System.nanoTime();
                    expectOk(client.call("SAVE"), "SAVE");
                    saveMillis = (System.nanoTime() - start) / 1e6;
                    client.send("SHUTDOWN", "NOSAVE");
                    client.flush();
                }
                try {
                    serving.onExit().get(5, TimeUnit.MINUTES);
                } catch (ExecutionException | TimeoutException e) {
                    throw new BenchFailure("the old process did not exit after SHUTDOWN: " + e);
                }
                current = start(started, name + "-restart-" + n, port, directory, size, snapshot, false);
                double loadMillis;
                try (RespClient client = current.connect()) {
                    loadMillis = Double.parseDouble(InfoReply.field(RespClient.text(client.call("INFO")), "luo4j_snapshot_load_ms"));
                }
                result.baseline(saveMillis, loadMillis, timedDigest(current, digest, "restart " + n));
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // BenchFailure, IOException, or a bug: this size ends, the report says why
            result.error(e instanceof BenchFailure ? e.getMessage() : e.toString());
        } finally {
            started.forEach(KvProcess::close);
            deleteSnapshot(directory.resolve("state.snapshot"));
        }
        return result.build();
    }

    private static KvProcess start(List<KvProcess> started, String name, int port, Path directory, long size, Path snapshot, boolean warmUp)
            throws IOException, InterruptedException {
        KvProcess process = KvProcess.start(name, port, directory, JVM_OPTIONS, List.of("--memory", Long.toString(size + HEADROOM),
                "--snapshot", snapshot.toString(), "--warm-up", Boolean.toString(warmUp)));
        started.add(process);
        return process;
    }

    /** DEBUG DIGEST on the serving process: the first full read of the state; it must match {@code expected}. */
    private static double timedDigest(KvProcess service, String expected, String after) throws IOException, BenchFailure {
        try (RespClient client = new RespClient("127.0.0.1", service.port(), LONG_TIMEOUT_MILLIS)) {
            long start = System.nanoTime();
            Object digest = client.call("DEBUG", "DIGEST");
            double millis = (System.nanoTime() - start) / 1e6;
            if (!expected.equals(digest)) {
                throw new BenchFailure("after " + after + " the data's checksum is " + digest + ", not " + expected + ": state was lost");
            }
            return millis;
        }
    }

    private static void expectOk(Object reply, String command) throws BenchFailure {
        if (!"OK".equals(reply)) {
            throw new BenchFailure(command + " failed: " + reply);
        }
    }

    private static void deleteSnapshot(Path snapshot) {
        try {
            Files.deleteIfExists(snapshot);
        } catch (IOException e) {
            // in the scratch directory, which goes too
        }
    }
}
