package io.luo4j.cli;

import io.luo4j.linux.control.ControlProtocol;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code luoctl upgrade NAME [--exec CMD] [--timeout SECONDS] [--json]}: live-updates a running
 * service. Prints a progress line per phase on standard error, then the outcome; exits 0 when the
 * successor took over, 1 when the service rolled back (with the reason), 2 when the service cannot be
 * reached.
 */
@Command(name = "upgrade", description = "Live-update a running service; exit 0 when committed, 1 with the reason when rolled back.")
final class UpgradeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The service's name.")
    private String name;

    @Option(names = "--exec", paramLabel = "CMD", description = "The successor's command line (default: the service's own).")
    private String exec;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long the successor may take to be ready (default: the service's, 60 s).")
    private Integer timeout;

    @Option(names = "--json", description = "Print the outcome as one JSON document.")
    private boolean json;

    @Override
    public Integer call() {
        Map<String, String> arguments = new LinkedHashMap<>();
        if (timeout != null) {
            arguments.put("timeout", Integer.toString(timeout));
        }
        if (exec != null) {
            arguments.put("exec", exec);
        }
        PrintWriter err = spec.commandLine().getErr();
        return ServiceControl.print(ServiceControl.request(name, ControlProtocol.request("upgrade", arguments), phase -> {
            err.println("upgrade " + name + ": " + phase);
            err.flush();
        }), json, spec.commandLine().getOut());
    }
}
