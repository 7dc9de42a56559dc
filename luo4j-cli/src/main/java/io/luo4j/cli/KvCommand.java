package io.luo4j.cli;

import io.luo4j.LiveUpdateException;
import io.luo4j.kv.KvConfig;
import io.luo4j.kv.KvService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code luoctl kv --name NAME --port PORT [--memory SIZE] [--input-budget SIZE]}: runs the kv service (a Redis-protocol
 * cache in memfds) under luo4j, in the foreground. Upgrade it with {@code luoctl upgrade NAME}.
 * The snapshot and SO_REUSEPORT options exist for restarts without luo4j, and are what the
 * benchmarks compare luo4j with.
 */
@Command(name = "kv", description = "Run the kv service (Redis protocol, data in memfds) under luo4j, in the foreground.")
final class KvCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--name", required = true, description = "The service's name (for luoctl upgrade and status).")
    private String name;

    @Option(names = "--port", required = true, converter = Ranges.Port.class, description = "The TCP port to serve on.")
    private int port;

    @Option(names = "--memory", defaultValue = "1g", converter = ByteSize.class,
            description = "Most memory for data, in 64 MiB segments (default: ${DEFAULT-VALUE}).")
    private long memory;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "The address to serve on (default: ${DEFAULT-VALUE}).")
    private String bind;

    @Option(names = "--snapshot", paramLabel = "FILE",
            description = "A snapshot file: loaded at a cold start when it exists, written by SAVE and SHUTDOWN. Not needed for live updates.")
    private Path snapshot;

    @Option(names = "--reuseport", description = "Listen with SO_REUSEPORT, so another process can bind beside this one.")
    private boolean reusePort;

    @Option(names = "--input-budget", paramLabel = "SIZE", converter = ByteSize.class,
            description = "Most heap the clients' half-sent commands may hold together; past it the client holding the most is"
                    + " closed (default: a quarter of the heap).")
    private Long inputBudget;

    @Option(names = "--no-warm-up", negatable = false,
            description = "Skip the warm-up: serve sooner after a cold start, at the price of a longer first upgrade pause.")
    private boolean noWarmUp;

    @Override
    public Integer call() throws Exception {
        KvService.run(config(spec, name, bind, port, memory, snapshot, reusePort, !noWarmUp, inputBudget == null ? 0 : inputBudget));
        return 0;
    }

    /**
     * The kv service's configuration; what it refuses (a memory below one segment, an empty name) is
     * a usage error of {@code command}, before anything starts.
     */
    static KvConfig config(CommandSpec command, String name, String bind, int port, long memory, Path snapshot, boolean reusePort,
            boolean warmUp, long inputBudget) {
        try {
            return new KvConfig(name, bind, port, memory, snapshot, reusePort, warmUp, inputBudget);
        } catch (LiveUpdateException e) {
            throw new ParameterException(command.commandLine(), e.detail(), e);
        }
    }
}
