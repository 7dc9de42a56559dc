package io.luo4j.cli;

import io.luo4j.kv.resp.RespClient;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A kv service started as a process of its own with {@code luoctl kv}, the way a user runs it,
 * in a private runtime directory; stopped by its name (whichever process serves it after upgrades).
 */
final class KvProcess implements AutoCloseable {
    final String name;
    final int port;
    final Path runtimeDirectory;
    final Path log;
    private final Process first;

    private KvProcess(String name, int port, Path runtimeDirectory, Path log, Process first) {
        this.name = name;
        this.port = port;
        this.runtimeDirectory = runtimeDirectory;
        this.log = log;
        this.first = first;
    }

    /** Starts {@code luoctl kv --name name --port port --memory memory} and waits until it answers PING. */
    static KvProcess start(String name, int port, long memory, Path runtimeDirectory) throws IOException, InterruptedException {
        Path log = runtimeDirectory.resolve(name + ".log");
        List<String> command = new ArrayList<>(luoctlCommand());
        command.addAll(List.of("kv", "--name", name, "--port", Integer.toString(port), "--memory", Long.toString(memory)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("LUO4J_RUNTIME_DIR", runtimeDirectory.toString());
        KvProcess process = new KvProcess(name, port, runtimeDirectory, log, builder.start());
        process.awaitPing();
        return process;
    }

    /** This JVM's java, flags and luoctl entry point: the jar when running from it, else the class path. */
    static List<String> luoctlCommand() {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/java.io=ALL-UNNAMED"));
        Path jar = codeSource();
        if (jar != null && jar.toString().endsWith(".jar")) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Luoctl.class.getName()));
        }
        return command;
    }

    private static Path codeSource() {
        try {
            return Path.of(Luoctl.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private void awaitPing() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!first.isAlive()) {
                throw new IOException("the kv service exited with status " + first.exitValue() + "; its log:\n" + Files.readString(log));
            }
            try (RespClient client = new RespClient("127.0.0.1", port, 2000)) {
                if ("PONG".equals(client.call("PING"))) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("the kv service did not answer within 60 s; its log: " + log);
    }

    /** The pid of the process serving now (it changes with every upgrade). */
    long servingPid() throws IOException {
        try (RespClient client = new RespClient("127.0.0.1", port, 5000)) {
            return Long.parseLong(Info.field(RespClient.text(client.call("INFO")), "process_id"));
        }
    }

    /** Stops whichever process serves, and any predecessor still around. */
    @Override
    public void close() {
        try {
            long pid = servingPid();
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
                p.destroyForcibly();
            });
        } catch (IOException | RuntimeException gone) {
            // nothing serves any more
        }
        first.destroyForcibly();
    }
}
