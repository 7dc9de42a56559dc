package io.luo4j.bench.blackout;

import io.luo4j.kv.client.KvProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kv processes one switcher starts, all alike but for their name and options: 1 GiB of data
 * memory, a 1 GiB Java heap. Closing it stops them all.
 */
final class KvServices implements AutoCloseable {
    private static final List<String> JVM_OPTIONS = List.of("-Xmx1g");
    private static final long MEMORY = 1L << 30;

    private final Path runtime;
    private final int port;
    private final List<KvProcess> started = new ArrayList<>();

    KvServices(Path runtime, int port) {
        this.runtime = runtime;
        this.port = port;
    }

    Path runtime() {
        return runtime;
    }

    Path file(String name) {
        return runtime.resolve(name);
    }

    /** Starts service {@code name} with {@code options} and waits until it serves. */
    KvProcess start(String name, String... options) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("--memory", Long.toString(MEMORY)));
        arguments.addAll(List.of(options));
        KvProcess process = KvProcess.start(name, port, runtime, JVM_OPTIONS, arguments);
        started.add(process);
        return process;
    }

    @Override
    public void close() {
        started.forEach(KvProcess::close);
    }
}
