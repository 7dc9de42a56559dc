package io.luo4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One luoctl command line run in this JVM as {@link Luoctl#main} runs it, with its exit code and what it printed. */
record LuoctlRun(int exit, String out, String err) {
    static LuoctlRun luoctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Luoctl.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new LuoctlRun(exit, out.toString(), err.toString());
    }

    /** Standard output and error, for assertion messages. */
    String printed() {
        return "exit " + exit + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
