package io.luo4j.cli;

import static io.luo4j.cli.LuoctlRun.luoctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * luoctl's command line as a user types it: every command's help, unknown commands, and numbers out
 * of range. Nothing here reaches a service: the runtime directory is an empty one.
 */
@Timeout(60)
class LuoctlCommandLineTest {
    @TempDir
    Path dir;

    @BeforeEach
    void emptyRuntimeDirectory() {
        System.setProperty("luo4j.runtime.dir", dir.toString());
    }

    @AfterEach
    void forgetRuntimeDirectory() {
        System.clearProperty("luo4j.runtime.dir");
    }

    static Set<String> commands() {
        return Luoctl.commandLine().getSubcommands().keySet();
    }

    /** The command, and a command line that asks for its help. */
    static Stream<Arguments> helpRequests() {
        return commands().stream().flatMap(command -> Stream.of(List.of(command, "--help"), List.of(command, "-h"), List.of("help", command))
                .map(line -> Arguments.of(command, line)));
    }

    @Test
    void theCommandsAreTheDocumentedOnes() {
        assertTrue(commands().containsAll(List.of("demo", "kv", "upgrade", "status", "inspect", "bench", "walkthrough", "help")),
                commands().toString());
    }

    /**
     * Required parameters (upgrade's NAME, kv's --name and --port) do not stand in the way of help.
     * The usage is the first line, but for picocli's help command, which puts its one-line header first.
     */
    @ParameterizedTest
    @MethodSource("helpRequests")
    void everyCommandsHelpPrintsThatCommandsUsageAndExitsZero(String command, List<String> line) {
        LuoctlRun run = luoctl(line.toArray(String[]::new));
        assertEquals(0, run.exit(), run.printed());
        assertTrue(run.out().lines().anyMatch(printed -> printed.startsWith("Usage: luoctl " + command + " ")), run.printed());
        assertEquals("", run.err(), run.printed());
    }

    @Test
    void helpWithEverythingGivenIsStillHelp() {
        LuoctlRun run = luoctl("upgrade", "some-service", "--timeout", "5", "--help");
        assertEquals(0, run.exit(), run.printed());
        assertTrue(run.out().startsWith("Usage: luoctl upgrade "), run.printed());
    }

    @Test
    void luoctlsOwnHelpListsTheCommands() {
        LuoctlRun run = luoctl("--help");
        assertEquals(0, run.exit(), run.printed());
        assertTrue(run.out().startsWith("Usage: luoctl "), run.printed());
        commands().forEach(command -> assertTrue(run.out().contains("  " + command + " "), command + ": " + run.printed()));
        LuoctlRun nothing = luoctl();
        assertEquals(2, nothing.exit(), nothing.printed());
        assertTrue(nothing.err().contains("Missing required subcommand"), nothing.printed());
    }

    /** With or without a help option, in any order: an error that names the command and the known ones, never the help. */
    @ParameterizedTest
    @ValueSource(strings = {"nosuchcommand", "nosuchcommand --help", "nosuchcommand -h", "--help nosuchcommand",
            "nosuchcommand status cli-svc", "nosuchcommand --version"})
    void anUnknownCommandIsAnErrorNamingItAndTheKnownOnes(String line) {
        LuoctlRun run = luoctl(line.split(" "));
        assertEquals(2, run.exit(), run.printed());
        assertEquals("", run.out(), run.printed());
        assertTrue(run.err().startsWith("luoctl: unknown command 'nosuchcommand'"), run.printed());
        assertTrue(run.err().contains("the commands are " + String.join(", ", commands())), run.printed());
    }

    @Test
    void helpForAnUnknownCommandIsAnError() {
        LuoctlRun run = luoctl("help", "nosuchcommand");
        assertEquals(2, run.exit(), run.printed());
        assertTrue(run.err().contains("nosuchcommand"), run.printed());
    }

    @Test
    void anUnknownOptionIsAnErrorEvenBesideHelp() {
        LuoctlRun run = luoctl("status", "--help", "--no-such-option");
        assertEquals(2, run.exit(), run.printed());
        assertTrue(run.err().startsWith("Unknown option: '--no-such-option'"), run.printed());
        assertTrue(run.err().contains("Usage: luoctl status "), run.printed());
    }

    /**
     * A number no command can mean is a usage error that names the option, before anything runs (no
     * service is reached, no demo starts), with the command's usage; exit 2 as for any usage error.
     * The last column is what the first line of the error must contain.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "upgrade svc --timeout -5                                 | '--timeout': -5 is out of range",
            "upgrade svc --timeout 0                                  | '--timeout': 0 is out of range",
            "upgrade svc --timeout 100000                             | '--timeout': 100000 is out of range",
            "upgrade svc --pause-limit -1                             | '--pause-limit': -1 is out of range",
            "upgrade svc --pause-limit 0                              | '--pause-limit': 0 is out of range",
            "upgrade svc --pause-limit 9223372036854775807            | '--pause-limit': 9223372036854775807 is out of range",
            "upgrade svc --grace -1                                   | '--grace': -1 is out of range",
            "upgrade svc --grace 1e3                                  | '--grace': '1e3' is not a whole number",
            "demo --keys -1 --upgrades 1 --load-seconds 0             | '--keys': -1 is out of range",
            "demo --keys 0 --upgrades 1 --load-seconds 0              | '--keys': 0 is out of range",
            "demo --clients 0 --upgrades 1 --load-seconds 0           | '--clients': 0 is out of range",
            "demo --upgrades -2 --load-seconds 0                      | '--upgrades': -2 is out of range",
            "demo --upgrades 0 --load-seconds 0                       | '--upgrades': 0 is out of range",
            "demo --load-seconds -1 --upgrades 1                      | '--load-seconds': -1 is out of range",
            "demo --load-seconds NaN --upgrades 1                     | '--load-seconds': NaN is out of range",
            "demo --load-seconds Infinity --upgrades 1                | '--load-seconds': Infinity is out of range",
            "demo --memory 1m --upgrades 1 --load-seconds 0           | --memory 1048576 is below one 64 MiB segment",
            "walkthrough --ledgers 0                                  | '--ledgers': 0 is out of range",
            "walkthrough --ledgers -3                                 | '--ledgers': -3 is out of range",
            "walkthrough --entries -1                                 | '--entries': -1 is out of range",
            "kv --name k --port -1                                    | '--port': -1 is out of range",
            "kv --name k --port 65536                                 | '--port': 65536 is out of range",
            "kv --name k --port 6399 --memory 1m                      | --memory 1048576 is below one 64 MiB segment",
            "bench --suites state,nosuch                              | '--suites' (SUITE): unknown suite 'nosuch'"})
    void aNumberOutOfRangeIsAUsageError(String line, String expected) {
        String[] args = line.trim().split(" +");
        LuoctlRun run = luoctl(args);
        assertEquals(2, run.exit(), run.printed());
        String first = run.err().lines().findFirst().orElse("");
        assertTrue(first.contains(expected.trim()), run.printed());
        assertTrue(run.err().contains("Usage: luoctl " + args[0] + " "), run.printed());
        assertEquals("", run.out(), run.printed());
    }
}
