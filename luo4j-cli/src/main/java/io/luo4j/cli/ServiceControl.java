package io.luo4j.cli;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.control.RuntimeDirectory;
import io.luo4j.linux.control.ControlClient;
import io.luo4j.linux.control.Report;
import io.luo4j.linux.control.StatusReport;
import io.luo4j.linux.control.UpgradeRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** How luoctl reaches a running service: its control socket, found by name in the runtime directory. */
final class ServiceControl {
    private ServiceControl() {}

    /** Sends {@code requestLine} to service {@code name}, passing progress to {@code progress}. */
    static Report request(String name, String requestLine, Consumer<String> progress) {
        return ControlClient.request(socket(name), requestLine, progress);
    }

    private static Path socket(String name) {
        return RuntimeDirectory.controlSocket(RuntimeDirectory.resolve(), name);
    }

    /**
     * Asks service {@code name} to upgrade. When the answer is lost (the old process died on the
     * way), asks who serves now, so the operator can tell a successor's take-over from a loss.
     */
    static Report upgrade(String name, String exec, UpgradeRequest settings, Consumer<String> progress) {
        Path socket = socket(name);
        Report before = ControlClient.request(socket, "status", line -> {});
        try {
            return ControlClient.upgrade(socket, exec, settings, progress);
        } catch (LiveUpdateException e) {
            if (e.reason() != Errno.EPROTO) {
                throw e;
            }
            throw new LiveUpdateException(Errno.EPROTO, "the service's answer was lost (" + e.detail() + "): "
                    + whoServes(socket, ServedBy.of(before)), e);
        }
    }

    /** Who answers the control socket now, compared with {@code before}; waits at most 30 s. */
    private static String whoServes(Path socket, ServedBy before) {
        CompletableFuture<Report> status = CompletableFuture.supplyAsync(() -> ControlClient.request(socket, "status", line -> {}));
        try {
            ServedBy now = ServedBy.of(status.get(30, TimeUnit.SECONDS));
            if (now.pid() != before.pid() && now.generation() > before.generation()) {
                return "the old process (pid " + before.pid() + ") is gone, but its successor (pid " + now.pid() + ") took over as"
                        + " generation " + now.generation() + " with everything: nothing was lost";
            }
            return "pid " + now.pid() + " serves generation " + now.generation() + " (before: pid " + before.pid() + ", generation "
                    + before.generation() + "); check luoctl status";
        } catch (ExecutionException e) {
            return "nobody answers the control socket any more (" + e.getCause().getMessage() + "): the old process (pid "
                    + before.pid() + ") is gone and no successor serves";
        } catch (TimeoutException e) {
            status.cancel(true);
            return "nobody has answered the control socket for 30 s: the old process (pid " + before.pid()
                    + ") is gone and no successor serves yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while asking who serves";
        }
    }

    /** The pid and generation a status answer names. */
    private record ServedBy(long pid, long generation) {
        static ServedBy of(Report status) {
            Map<String, Object> json = StatusReport.members(status);
            return new ServedBy(((Number) json.get("pid")).longValue(), ((Number) json.get("generation")).longValue());
        }
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
