package io.luo4j.bench.blackout;

import io.luo4j.bench.BenchFailure;
import io.luo4j.bench.Profile;
import io.luo4j.bench.ServiceUpgrade;
import io.luo4j.kv.client.KvProcess;
import io.luo4j.kv.client.ServiceLog;
import io.luo4j.linux.JavaCommand;
import io.luo4j.linux.control.ControlClient;
import io.luo4j.linux.control.RuntimeDirectory;
import io.luo4j.linux.control.StatusReport;
import io.luo4j.netty.example.NettyExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The blackout suite's second service: the Netty example (HTTP/1.1, a counter per path in a
 * memfd), live-updated {@code profile.repeats()} times on each transport while
 * {@code profile.clients()} checking keep-alive clients ({@link HttpLoad}) request it. Each upgrade
 * becomes a {@link Switch}: the window from the request to the commit, the service's own blackout,
 * and the worst latency any client saw for a request in flight during it. A failed request, a
 * dropped connection or a count off by one (lost or double) is a functional error; a rolled-back
 * upgrade ends the transport's run with its reason.
 */
final class NettyBlackout {
    private static final long STEADY_MILLIS = 1000;
    private static final long SETTLE_MILLIS = 500;
    private static final long BETWEEN_MILLIS = 500;

    /** One upgrade as the clients saw it. */
    record Switch(double windowMillis, double serviceBlackoutMillis, long requests, double maxMillis) {}

    /** One transport's upgrades. */
    record Result(String transport, List<Switch> switches, long requests, long failed, long dropped, String error) {
        Result {
            switches = List.copyOf(switches);
        }
    }

    private NettyBlackout() {}

    static List<Result> run(Profile profile, Path scratch, Consumer<String> progress) throws InterruptedException {
        List<Result> results = new ArrayList<>();
        for (String transport : List.of("nio", "epoll")) {
            results.add(run(transport, profile, scratch.resolve("blackout-netty-" + transport), progress));
        }
        return results;
    }

    private static Result run(String transport, Profile profile, Path directory, Consumer<String> progress) throws InterruptedException {
        List<Switch> switches = new ArrayList<>();
        String name = "bench-netty-" + transport;
        String label = "blackout, Netty example (" + transport + ")";
        Process first = null;
        HttpLoad load = null;
        try {
            Files.createDirectories(directory);
            int port = KvProcess.freePort();
            Path log = directory.resolve(name + ".log");
            progress.accept(label + ": starting the service");
            ProcessBuilder builder = new ProcessBuilder(JavaCommand.of(NettyExample.class.getName(), jvmOptions(),
                    List.of("--name", name, "--port", Integer.toString(port), "--transport", transport)))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("LUO4J_RUNTIME_DIR", directory.toString());
            first = builder.start();
            String pid = "pid " + first.pid() + ",";
            ServiceLog.await(log, line -> line.contains(pid) && line.contains(NettyExample.SERVING), first.toHandle(),
                    "the Netty example " + name, Duration.ofMinutes(3));
            load = new HttpLoad(port, profile.clients());
            Thread.sleep(STEADY_MILLIS);
            for (int n = 1; n <= profile.repeats(); n++) {
                progress.accept(label + ": upgrade " + n + "/" + profile.repeats() + " under " + profile.clients() + " clients");
                load.openWindow();
                long start = System.nanoTime();
                double blackout = ServiceUpgrade.run(directory, name).blackoutMillis();
                long end = System.nanoTime();
                Thread.sleep(SETTLE_MILLIS); // the requests that waited through the upgrade complete
                load.closeWindow();
                switches.add(new Switch((end - start) / 1e6, blackout, load.windowRequests(), load.windowMaxMillis()));
                Thread.sleep(BETWEEN_MILLIS);
            }
            load.close();
            String error = load.failures() > 0 ? "first failure: " + load.firstFailure() : "";
            return new Result(transport, switches, load.requests(), load.failures(), load.connectionsLost(), error);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // BenchFailure, IOException: this transport's run ends, the report says why
            long requests = load == null ? 0 : load.requests();
            long failed = load == null ? 0 : load.failures();
            long dropped = load == null ? 0 : load.connectionsLost();
            return new Result(transport, switches, requests, failed, dropped, e instanceof BenchFailure ? e.getMessage() : e.toString());
        } finally {
            if (load != null) {
                load.close();
            }
            stop(directory, name, first);
        }
    }

    /**
     * A 512 MiB heap; on the module path (luoctl), the module of epoll's JNI library too, which
     * nothing requires (bin/luoctl adds it to its own JVM the same way).
     */
    private static List<String> jvmOptions() {
        if (NettyBlackout.class.getModule().isNamed()) {
            return List.of("-Xmx512m", "--add-modules", "io.netty.transport.epoll.linux.x86_64");
        }
        return List.of("-Xmx512m");
    }

    /** Stops whichever process serves now (found by its control socket's status) and the first one. */
    private static void stop(Path directory, String name, Process first) {
        try {
            long pid = StatusReport.members(ControlClient.request(RuntimeDirectory.controlSocket(directory, name), "status", line -> {}))
                    .get("pid") instanceof Number n ? n.longValue() : -1;
            ProcessHandle.of(pid).ifPresent(NettyBlackout::stop);
        } catch (RuntimeException gone) {
            // nothing serves any more
        }
        if (first != null) {
            stop(first.toHandle());
        }
    }

    private static void stop(ProcessHandle process) {
        process.destroy();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> process).join();
        process.destroyForcibly();
    }
}
