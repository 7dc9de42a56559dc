package io.luo4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code luoctl status NAME [--json]}: sessions, files, tokens, handlers and generation of a running service. */
@Command(name = "status", description = "Show a running service's sessions, files, handlers and generation.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The service's name.")
    private String name;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    private boolean json;

    @Override
    public Integer call() {
        return ServiceControl.print(ServiceControl.request(name, "status", progress -> {}), json, spec.commandLine().getOut());
    }
}
