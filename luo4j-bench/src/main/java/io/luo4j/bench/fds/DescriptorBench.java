package io.luo4j.bench.fds;

import io.luo4j.LiveUpdateException;
import io.luo4j.bench.BenchFailure;
import io.luo4j.bench.Format;
import io.luo4j.bench.Profile;
import io.luo4j.bench.Samples;
import io.luo4j.bench.ServiceUpgrade;
import io.luo4j.kv.client.ServiceLog;
import io.luo4j.linux.JavaCommand;
import io.luo4j.linux.OpenFileLimit;
import io.luo4j.linux.control.UpgradeOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Descriptor count: a {@link DescriptorService} holding 1 .. 100,000 memfds in one session is
 * live-updated several times; each handover's freeze-to-ready time is divided by the count for the
 * per-descriptor cost. The baseline, in the same run: {@link RawDescriptorTransfer} of the same
 * count. Counts above what the open-file limit allows (and this process may not raise) are skipped
 * with the reason, and the largest count the limit allows is measured in their place.
 */
public final class DescriptorBench {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
    private static final String SKIPPED = "skipped: ";

    private DescriptorBench() {}

    public static DescriptorResult run(Profile profile, Path scratch, Consumer<String> progress) throws InterruptedException {
        List<CountResult> counts = new ArrayList<>();
        boolean limited = false;
        for (int count : profile.descriptorCounts()) {
            CountResult result = run(count, profile.repeats(), scratch.resolve("fds-" + count), progress);
            limited |= result.error().startsWith(SKIPPED);
            counts.add(result);
        }
        int largest = largestAllowed();
        if (limited && largest > 0 && !profile.descriptorCounts().contains(largest)) {
            progress.accept("descriptors: the open-file limit stops short of the largest count; measuring the most it allows, "
                    + Format.count(largest));
            counts.add(run(largest, profile.repeats(), scratch.resolve("fds-" + largest), progress));
            counts.sort(java.util.Comparator.comparingInt(CountResult::count));
        }
        return new DescriptorResult(counts);
    }

    /** The largest round thousand of descriptors one service may hold under this process's hard open-file limit. */
    static int largestAllowed() {
        long room = Math.min(OpenFileLimit.hard(), Integer.MAX_VALUE) - DescriptorService.HEADROOM;
        return (int) (room / 1000 * 1000);
    }

    private static CountResult run(int count, int repeats, Path directory, Consumer<String> progress) throws InterruptedException {
        Samples handover = new Samples();
        Samples baseline = new Samples();
        long imageBytes = 0;
        int handedOver = 0;
        String label = "descriptors " + Format.count(count);
        // the service raises its own limit (from this one's), and the baseline runs here
        long required = Math.max(DescriptorService.requiredOpenFiles(count), RawDescriptorTransfer.requiredOpenFiles(count));
        try {
            OpenFileLimit.raise(required);
        } catch (LiveUpdateException e) {
            return new CountResult(count, handover, baseline, 0, 0, SKIPPED + e.reason() + ", needs " + Format.count(required)
                    + " open files and the hard limit is " + Format.count(OpenFileLimit.hard()));
        }
        List<ProcessHandle> started = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            String name = "fds-" + count;
            Path log = directory.resolve(name + ".log");
            progress.accept(label + ": starting a service that preserves them");
            ProcessBuilder builder = new ProcessBuilder(JavaCommand.of(DescriptorService.class.getName(), List.of("-Xmx1g"),
                    List.of("--name", name, "--count", Integer.toString(count))))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("LUO4J_RUNTIME_DIR", directory.toString());
            ProcessHandle serving = builder.start().toHandle();
            started.add(serving);
            awaitReady(log, serving, name);
            for (int n = 1; n <= repeats; n++) {
                progress.accept(label + ": luo4j upgrade " + n + "/" + repeats);
                UpgradeOutcome outcome = ServiceUpgrade.run(directory, name);
                handover.add(outcome.freezeMillis() + outcome.handoverMillis());
                imageBytes = outcome.imageBytes();
                handedOver = outcome.descriptors();
                serving = ProcessHandle.of(outcome.successorPid()).orElseThrow(() -> new BenchFailure("the successor is gone"));
                started.add(serving);
                awaitReady(log, serving, name);
            }
            for (int n = 1; n <= repeats; n++) {
                progress.accept(label + ": baseline, raw SCM_RIGHTS transfer " + n + "/" + repeats);
                baseline.add(RawDescriptorTransfer.transferMillis(count));
            }
            return new CountResult(count, handover, baseline, handedOver, imageBytes, "");
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // BenchFailure, IOException, or a bug: this count ends, the report says why
            return new CountResult(count, handover, baseline, handedOver, imageBytes, e instanceof BenchFailure ? e.getMessage() : e.toString());
        } finally {
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void awaitReady(Path log, ProcessHandle process, String name) throws IOException, InterruptedException {
        String pid = "pid " + process.pid() + ",";
        ServiceLog.await(log, line -> line.contains(pid) && line.contains(DescriptorService.READY), process, "the descriptor service " + name,
                READY_TIMEOUT);
    }
}
