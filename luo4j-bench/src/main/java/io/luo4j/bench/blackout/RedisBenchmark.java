package io.luo4j.bench.blackout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Debian's redis-benchmark, run against the kv service while it is switched: SET requests of 100
 * bytes on 100,000 random keys from 20 connections, with its CSV report (throughput, latency
 * percentiles, max). redis-benchmark stops at the first connection it loses, so a baseline that
 * drops connections shows as an aborted run with redis-benchmark's error.
 */
final class RedisBenchmark {
    static final String TOOL = "redis-benchmark";
    private static final int CONNECTIONS = 20;
    private static final int CALIBRATION_REQUESTS = 20_000;

    /**
     * What one run reported.
     *
     * @param completed whether redis-benchmark finished its requests (exit 0 and a report)
     * @param requests  requests it was asked to send
     * @param rps       requests per second
     * @param p50Millis median latency, p99 and max as redis-benchmark measured them
     * @param error     redis-benchmark's error when it did not complete, else ""
     */
    record Result(boolean completed, long requests, double rps, double p50Millis, double p99Millis, double maxMillis, String error) {
        static Result skipped(String why) {
            return new Result(false, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, why);
        }
    }

    /** A run under way. */
    record Run(Process process, long requests, String label) {}

    private final int port;
    private final Path directory;

    RedisBenchmark(int port, Path directory) {
        this.port = port;
        this.directory = directory;
    }

    /** Whether redis-benchmark is on the PATH. */
    static boolean installed() {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, TOOL)));
    }

    /** A short run with nothing else going on: the request rate to size the real run with. */
    double calibrate() throws IOException, InterruptedException {
        Result result = await(start(CALIBRATION_REQUESTS, "calibration"));
        if (!result.completed()) {
            throw new IOException("redis-benchmark failed against an idle service: " + result.error());
        }
        return result.rps();
    }

    /** Starts a run of {@code requests} requests; {@link #await} reads its report. */
    Run start(long requests, String label) throws IOException {
        return new Run(new ProcessBuilder(TOOL, "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", "set", "-n", Long.toString(requests),
                "-c", Integer.toString(CONNECTIONS), "-r", "100000", "-d", "100", "--csv")
                .redirectOutput(directory.resolve(label + ".csv").toFile())
                .redirectError(directory.resolve(label + ".err").toFile())
                .start(), requests, label);
    }

    /** Waits (10 minutes at most) for {@code run} to end and reads its report. */
    Result await(Run run) throws IOException, InterruptedException {
        Process process = run.process();
        String label = run.label();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return Result.skipped("redis-benchmark did not finish within 10 minutes");
        }
        List<String> csv = Files.readAllLines(directory.resolve(label + ".csv"));
        String errors = Files.readAllLines(directory.resolve(label + ".err")).stream()
                .filter(line -> !line.startsWith("WARNING: Could not fetch server CONFIG")) // the kv service has no CONFIG to report
                .collect(Collectors.joining("; "));
        long requests = run.requests();
        if (process.exitValue() != 0 || csv.size() < 2) {
            return new Result(false, requests, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    errors.isEmpty() ? "exit status " + process.exitValue() : errors);
        }
        Map<String, String> row = parse(csv.get(0), csv.get(1));
        return new Result(true, requests, Double.parseDouble(row.get("rps")), Double.parseDouble(row.get("p50_latency_ms")),
                Double.parseDouble(row.get("p99_latency_ms")), Double.parseDouble(row.get("max_latency_ms")), "");
    }

    /** The header and one data line of redis-benchmark's CSV, as column name to value. */
    static Map<String, String> parse(String header, String line) {
        List<String> names = cells(header);
        List<String> values = cells(line);
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("redis-benchmark's CSV line does not match its header: " + line);
        }
        return IntStream.range(0, names.size()).boxed().collect(Collectors.toMap(names::get, values::get));
    }

    private static List<String> cells(String line) {
        return Arrays.stream(line.split(",")).map(cell -> cell.replace("\"", "").trim()).toList();
    }
}
