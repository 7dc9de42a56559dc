package io.luo4j.linux.testservice;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.linux.JavaCommand;
import io.luo4j.linux.control.RuntimeDirectory;
import io.luo4j.linux.control.ControlClient;
import io.luo4j.linux.control.Report;
import io.luo4j.linux.control.UpgradeRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Starts a service under luo4j ({@link TestService}, or any main class that takes --name and --port)
 * as a real JVM, talks to it over TCP and its control socket, and kills every process of it
 * (predecessors and successors) at the end. Output goes to service.log in the test's directory.
 */
public final class ServiceHarness implements AutoCloseable {
    public final Path directory;
    public final String name;
    public final int port;
    public final List<String> command;
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();
    private final List<LineClient> clients = new CopyOnWriteArrayList<>();
    public final List<String> progress = new CopyOnWriteArrayList<>();

    private ServiceHarness(Path directory, String name, List<String> command, int port) {
        this.directory = directory;
        this.name = name;
        this.command = command;
        this.port = port;
    }

    /** Starts a {@link TestService} with a memfd of {@code memfdBytes}; {@code jvmOptions} and {@code serviceOptions} are extra arguments. */
    public static ServiceHarness start(Path directory, String name, long memfdBytes, List<String> jvmOptions, List<String> serviceOptions)
            throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--memfd-bytes", Long.toString(memfdBytes)));
        arguments.addAll(serviceOptions);
        ServiceHarness harness = startMain(directory, name, TestService.class, jvmOptions, arguments);
        try (LineClient probe = harness.connect()) {
            assertEquals("PONG", probe.call("PING"));
        }
        return harness;
    }

    /**
     * Starts {@code main} (a service under luo4j that takes {@code --name NAME --port PORT}) as a JVM
     * of its own with this test's class path and the JVM flags luo4j needs, and waits until its
     * control socket and its port answer.
     */
    public static ServiceHarness startMain(Path directory, String name, Class<?> main, List<String> jvmOptions, List<String> arguments)
            throws Exception {
        return startMain(directory, name, main, jvmOptions, arguments, List.of());
    }

    /**
     * Starts a {@link TestService} whose parent never reaps it: a shell starts it in the background
     * and becomes {@code sleep}, so when the service dies it stays a zombie, as a service reparented
     * to an init that reaps late does.
     */
    public static ServiceHarness startUnreaped(Path directory, String name) throws Exception {
        ServiceHarness harness = startMain(directory, name, TestService.class, List.of(), List.of("--memfd-bytes", "65536"),
                List.of("/bin/sh", "-c", "\"$@\" & exec sleep 600", "sh"));
        harness.trackServingPid();
        return harness;
    }

    private static ServiceHarness startMain(Path directory, String name, Class<?> main, List<String> jvmOptions, List<String> arguments,
            List<String> launcher) throws Exception {
        int port = freePort();
        List<String> options = new ArrayList<>(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Dluo4j.runtime.dir=" + directory.resolve("run")));
        options.addAll(jvmOptions);
        List<String> serviceArguments = new ArrayList<>(List.of("--name", name, "--port", Integer.toString(port)));
        serviceArguments.addAll(arguments);
        List<String> command = JavaCommand.of(main.getName(), options, serviceArguments);
        ServiceHarness harness = new ServiceHarness(directory, name, command, port);
        List<String> launched = new ArrayList<>(launcher);
        launched.addAll(command);
        Process process = new ProcessBuilder(launched)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("service.log").toFile()))
                .start();
        harness.pids.add(process.pid());
        harness.awaitServing(process);
        return harness;
    }

    public static ServiceHarness start(Path directory, String name) throws Exception {
        return start(directory, name, 64 * 1024, List.of(), List.of());
    }

    private void awaitServing(Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + "; see " + directory.resolve("service.log")
                        + ":\n" + log());
            }
            try {
                if (control("ping").exitCode() == 0) {
                    try (Socket probe = new Socket()) {
                        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                    }
                    return;
                }
            } catch (RuntimeException | IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the service did not start within 30 s:\n" + log());
    }

    public Path controlSocket() {
        return RuntimeDirectory.controlSocket(directory.resolve("run"), name);
    }

    /**
     * A control socket's answer, as luoctl prints it. (The harness's own type: the control client
     * itself is exported to luoctl and the benchmarks only, and other modules' tests use this.)
     */
    public record Answer(List<String> text, String json, int exitCode) {
        static Answer of(Report report) {
            return new Answer(report.text(), report.json(), report.exitCode());
        }
    }

    public Answer control(String verb) {
        return Answer.of(ControlClient.request(controlSocket(), verb, progress::add));
    }

    /** Runs {@code luoctl upgrade}'s request; {@code exec} empty for the service's own command line. */
    public Answer upgrade(String exec, int timeoutSeconds) {
        return upgrade(exec, Duration.ofSeconds(timeoutSeconds), null, null);
    }

    /** Runs {@code luoctl upgrade}'s request with these limits (null ones are the service's). */
    public Answer upgrade(String exec, Duration timeout, Duration pauseLimit, Duration grace) {
        Report report = ControlClient.upgrade(controlSocket(), exec, new UpgradeRequest(List.of(), timeout, pauseLimit, grace),
                progress::add);
        trackServingPid();
        return Answer.of(report);
    }

    /** An upgrade to the service's own command line, with a short grace period (0.5 s) to keep the tests quick. */
    public Answer upgrade() {
        return upgrade("", Duration.ofSeconds(60), null, Duration.ofMillis(500));
    }

    /** The service's own command line, with {@code TEST_SUCCESSOR_FAULT} set: for --exec. */
    public String commandWithFault(String fault) {
        return commandWithFault(fault, "");
    }

    /** As {@link #commandWithFault(String)}, with more environment ("NAME=value ..."). */
    public String commandWithFault(String fault, String environment) {
        return "env TEST_SUCCESSOR_FAULT=" + fault + " " + environment + " " + shellLine(command);
    }

    /** {@code words} as one shell command line (for --exec), each word single-quoted. */
    public static String shellLine(List<String> words) {
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            line.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        return line.toString().trim();
    }

    /** Waits until the service holds {@code bytes} read but unhandled bytes over all its connections. */
    public void awaitPending(int bytes) {
        try (LineClient probe = connect()) {
            await("the service read " + bytes + " unfinished bytes").atMost(60, TimeUnit.SECONDS)
                    .until(() -> probe.call("PENDING"), Integer.toString(bytes)::equals);
        }
    }

    /** Asserts that {@code answer} reports a committed upgrade, with the service's log when not. */
    public void assertCommitted(Answer answer) {
        assertEquals(0, answer.exitCode(), () -> "not committed: " + answer.text() + "\nprogress: " + progress + "\nlog:\n" + log());
        assertTrue(answer.json().contains("\"committed\":true"), answer.json());
    }

    public LineClient connect() {
        LineClient client = new LineClient(port);
        clients.add(client);
        return client;
    }

    public void trackServingPid() {
        try {
            String json = control("status").json();
            int at = json.indexOf("\"pid\":");
            if (at >= 0) {
                pids.add(Long.parseLong(json.substring(at + 6, json.indexOf(',', at))));
            }
        } catch (RuntimeException ignored) {
            // nothing serves right now
        }
    }

    public String log() {
        try {
            return Files.readString(directory.resolve("service.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        clients.forEach(LineClient::close);
        trackServingPid();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            });
        }
        // successors started by a predecessor are not our children: find them by the service's name
        ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(name)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A blocking line-protocol client with a 30 s read timeout. */
    public static final class LineClient implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        public LineClient(int port) {
            try {
                socket = new Socket();
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                socket.setSoTimeout(30_000);
                in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                out = socket.getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Sends raw bytes (a line, or part of one). */
        public void send(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String readLine() {
            try {
                return in.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String call(String line) {
            send(line + "\n");
            return readLine();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
