package io.luo4j.kv.client;

import io.luo4j.kv.KvService;
import io.luo4j.kv.resp.RespClient;
import io.luo4j.linux.JavaCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A kv service started as a process of its own ({@link KvService} in a JVM like this one), in a
 * given runtime directory, its output in {@code NAME.log} there. It is ready when it prints that it
 * serves; it is stopped by its name, whichever process serves it after upgrades.
 */
public final class KvProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final String name;
    private final int port;
    private final Path log;
    private final Process first;

    private KvProcess(String name, int port, Path log, Process first) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.first = first;
    }

    /**
     * Starts {@code KvService --name name --port port options...} with {@code jvmOptions}, and waits
     * (3 minutes at most) until it serves.
     *
     * @throws IOException when it exits first or does not serve in time, with its log
     */
    public static KvProcess start(String name, int port, Path runtimeDirectory, List<String> jvmOptions, List<String> options)
            throws IOException, InterruptedException {
        Path log = runtimeDirectory.resolve(name + ".log");
        List<String> arguments = new ArrayList<>(List.of("--name", name, "--port", Integer.toString(port)));
        arguments.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(JavaCommand.of(KvService.class.getName(), jvmOptions, arguments))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LUO4J_RUNTIME_DIR", runtimeDirectory.toString());
        KvProcess process = new KvProcess(name, port, log, builder.start());
        try {
            process.awaitServing();
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
        return process;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** The process started (upgrades replace it; a restart does not). */
    public Process process() {
        return first;
    }

    private void awaitServing() throws IOException, InterruptedException {
        String pid = "pid " + first.pid() + ",";
        ServiceLog.await(log, line -> line.contains(pid) && line.contains(KvService.SERVING), first.toHandle(), "the kv service " + name,
                START_TIMEOUT);
    }

    /** A free TCP port on loopback (free when asked: bind it soon). */
    public static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * A connection to this service's own process: with SO_REUSEPORT another process may share the
     * port, and the kernel spreads connections between them, so this connects until one lands here.
     *
     * @throws IOException when 1000 connections in a row reach another process
     */
    public RespClient connect() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            RespClient client = new RespClient("127.0.0.1", port, 600_000);
            if (name.equals(InfoReply.field(RespClient.text(client.call("INFO")), "luo4j_service"))) {
                return client;
            }
            client.close();
        }
        throw new IOException("1000 connections to port " + port + " and none reached " + name);
    }

    /**
     * The pid of the process serving this service now (it changes with every upgrade).
     *
     * @throws IOException when nothing answers on the port, or another service does (a process
     *         bound beside it with SO_REUSEPORT)
     */
    public long servingPid() throws IOException {
        try (RespClient client = new RespClient("127.0.0.1", port, 5000)) {
            String info = RespClient.text(client.call("INFO"));
            if (!name.equals(InfoReply.field(info, "luo4j_service"))) {
                throw new IOException("port " + port + " is answered by service " + InfoReply.field(info, "luo4j_service") + ", not " + name);
            }
            return Long.parseLong(InfoReply.field(info, "process_id"));
        }
    }

    /** Waits for the process started to exit; false when it is still alive after {@code timeout}. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return first.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops whichever process serves, and the one started if it is still around. */
    @Override
    public void close() {
        try {
            long pid = servingPid();
            ProcessHandle.of(pid).ifPresent(KvProcess::stop);
        } catch (IOException | RuntimeException gone) {
            // nothing serves any more
        }
        stop(first.toHandle());
    }

    private static void stop(ProcessHandle process) {
        process.destroy();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> process).join();
        process.destroyForcibly();
    }
}
