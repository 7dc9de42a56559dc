package io.luo4j.kv.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The output file of a service process, where it says what it does (its successors write to the
 * same file: they inherit it). Harnesses wait on it for the line that says a process serves.
 */
public final class ServiceLog {
    private static final long POLL_MILLIS = 20;

    private ServiceLog() {}

    /**
     * Waits until {@code log} has a line that {@code ready} accepts.
     *
     * @throws IOException when {@code process} exits first or {@code timeout} passes, with the log
     */
    public static void await(Path log, Predicate<String> ready, ProcessHandle process, String what, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String output = Files.exists(log) ? Files.readString(log) : "";
            if (output.lines().anyMatch(ready)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(what + " (pid " + process.pid() + ") exited; its log:\n" + output);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(what + " did not get ready within " + timeout.toSeconds() + " s; its log: " + log);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
