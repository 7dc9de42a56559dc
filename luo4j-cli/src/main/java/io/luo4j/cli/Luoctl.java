package io.luo4j.cli;

import io.luo4j.LiveUpdateException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code luoctl}, the command line of luo4j. Run it through {@code bin/luoctl}, which finds a JDK
 * 25 and builds the jars when they are missing.
 */
@Command(name = "luoctl", mixinStandardHelpOptions = true, versionProvider = Luoctl.Version.class,
        description = "Live update for JVM services.",
        subcommands = {DemoCommand.class, KvCommand.class, NettyExampleCommand.class, UpgradeCommand.class, StatusCommand.class, InspectCommand.class, BenchCommand.class,
                WalkthroughCommand.class,
                CommandLine.HelpCommand.class})
public final class Luoctl {

    public static void main(String[] args) {
        // one line per log record: "WARNING: message" (set before the first logger is created)
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        System.exit(run(args));
    }

    /** Runs luoctl with {@code args} and returns its exit code. */
    static int run(String... args) {
        return commandLine().execute(args);
    }

    /** luoctl's command line: a LiveUpdateException ends it with exit code 2 and its message. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Luoctl());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof LiveUpdateException l) {
                commandLine.getErr().println("luoctl: " + l.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Luoctl.class.getPackage().getImplementationVersion();
            return new String[] {"luoctl " + (version == null ? "development build" : version)};
        }
    }
}
