package io.luo4j.cli;

import io.luo4j.LiveUpdateException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code luoctl}, the command line of luo4j. Run it through {@code bin/luoctl}, which finds a JDK
 * 25 and builds the jars when they are missing.
 *
 * <p>Every command has {@code -h}/{@code --help} (and {@code -V}/{@code --version}): the standard
 * help options are declared here once, with {@code scope = INHERIT}, so that each subcommand, a
 * future one too, gets them. A help option prints that command's usage and exits 0 even when its
 * required parameters are missing. An argument that matches nothing (an unknown command or option,
 * a parameter too many) is a usage error, exit 2, whether or not a help option is given too.
 */
@Command(name = "luoctl", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Luoctl.Version.class,
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

    /**
     * luoctl's command line: a LiveUpdateException ends it with exit code 2 and its message; a usage
     * error (exit 2 too) prints what is wrong and the command's usage, or for an unknown command one
     * line naming it and the known ones.
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Luoctl());
        cli.setExecutionStrategy(Luoctl::execute);
        IParameterExceptionHandler picocliUsageError = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, args) -> usageError(e, args, picocliUsageError));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof LiveUpdateException l) {
                commandLine.getErr().println("luoctl: " + l.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    /**
     * Runs the command parsed, unless an argument matched nothing. picocli skips that check when a
     * help option was given, so that {@code luoctl nosuchcommand --help} printed luoctl's help and
     * exited 0: the check is made here, for every command on the line, before any help is printed.
     */
    private static int execute(ParseResult parsed) {
        for (ParseResult command = parsed; command != null; command = command.subcommand()) {
            if (!command.unmatched().isEmpty()) {
                throw new UnmatchedArgumentException(command.commandSpec().commandLine(), command.unmatched());
            }
        }
        return new RunLast().execute(parsed);
    }

    /**
     * An unknown command gets one line that names it and the known ones (picocli would say
     * "Unmatched argument at index 0" and guess a command); any other usage error gets picocli's
     * message and the command's usage.
     */
    private static int usageError(ParameterException e, String[] args, IParameterExceptionHandler picocli) throws Exception {
        CommandLine command = e.getCommandLine();
        if (e instanceof UnmatchedArgumentException unmatched && command.getParent() == null && !unmatched.getUnmatched().isEmpty()
                && !unmatched.getUnmatched().getFirst().startsWith("-")) {
            command.getErr().println("luoctl: unknown command '" + unmatched.getUnmatched().getFirst() + "'; the commands are "
                    + String.join(", ", command.getSubcommands().keySet()) + " (luoctl --help says what each does)");
            command.getErr().flush();
            return command.getCommandSpec().exitCodeOnInvalidInput();
        }
        return picocli.handleParseException(e, args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Luoctl.class.getPackage().getImplementationVersion();
            return new String[] {"luoctl " + (version == null ? "development build" : version)};
        }
    }
}
