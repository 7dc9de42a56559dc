package io.luo4j.cli;

import io.luo4j.linux.control.UpgradeRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code luoctl upgrade NAME [--exec CMD] [--timeout SECONDS] [--pause-limit MILLIS] [--grace MILLIS]
 * [--json]}: live-updates a running service. Prints a progress line per phase on standard error,
 * then the outcome; exits 0 when the successor took over, 1 when the service rolled back (with the
 * reason), 2 when the service cannot be reached or its answer was lost (saying whether a successor
 * serves), and 2 for a usage error (such as a time that is not positive, or longer than a day).
 */
@Command(name = "upgrade", description = "Live-update a running service; exit 0 when committed, 1 with the reason when rolled back.")
final class UpgradeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The service's name.")
    private String name;

    @Option(names = "--exec", paramLabel = "CMD", description = "The successor's command line (default: the service's own).")
    private String exec;

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = Ranges.Seconds.class,
            description = "How long the successor may take to be ready, its start-up included (default: the service's, 60 s).")
    private Integer timeout;

    @Option(names = "--pause-limit", paramLabel = "MILLIS", converter = Ranges.Millis.class,
            description = "How long clients may wait: from the freeze until the successor is ready (default: the service's, 1000 ms).")
    private Long pauseLimit;

    @Option(names = "--grace", paramLabel = "MILLIS", converter = Ranges.MillisOrZero.class,
            description = "After the commit, how long the successor must live before the old process lets go; it takes the"
                    + " service back if the successor dies sooner (default: the service's, 3000 ms; 0 lets go at once).")
    private Long grace;

    @Option(names = "--json", description = "Print the outcome as one JSON document.")
    private boolean json;

    @Override
    public Integer call() {
        UpgradeRequest settings = new UpgradeRequest(List.of(), timeout == null ? null : Duration.ofSeconds(timeout),
                pauseLimit == null ? null : Duration.ofMillis(pauseLimit), grace == null ? null : Duration.ofMillis(grace));
        PrintWriter err = spec.commandLine().getErr();
        return ServiceControl.print(ServiceControl.upgrade(name, exec == null ? "" : exec, settings, phase -> {
            err.println("upgrade " + name + ": " + phase);
            err.flush();
        }), json, spec.commandLine().getOut());
    }
}
