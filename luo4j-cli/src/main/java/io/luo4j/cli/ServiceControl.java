package io.luo4j.cli;

import io.luo4j.linux.RuntimeDirectory;
import io.luo4j.linux.control.ControlClient;
import io.luo4j.linux.control.Report;
import java.io.PrintWriter;
import java.util.function.Consumer;

/** How luoctl reaches a running service: its control socket, found by name in the runtime directory. */
final class ServiceControl {
    private ServiceControl() {}

    /** Sends {@code requestLine} to service {@code name}, passing progress to {@code progress}. */
    static Report request(String name, String requestLine, Consumer<String> progress) {
        return ControlClient.request(RuntimeDirectory.controlSocket(RuntimeDirectory.resolve(), name), requestLine, progress);
    }

    /** Prints the answer (its text, or its JSON) and returns the exit code. */
    static int print(Report report, boolean json, PrintWriter out) {
        if (json) {
            out.println(report.json());
        } else {
            report.text().forEach(out::println);
        }
        out.flush();
        return report.exitCode();
    }
}
