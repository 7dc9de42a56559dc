package io.luo4j.cli;

import io.luo4j.kv.KvConfig;
import io.luo4j.kv.client.CheckedLoad;
import io.luo4j.kv.client.DemoKeys;
import io.luo4j.kv.client.InfoReply;
import io.luo4j.kv.client.KvProcess;
import io.luo4j.kv.client.ScratchDirectory;
import io.luo4j.kv.resp.RespClient;
import io.luo4j.linux.control.RuntimeDirectory;
import io.luo4j.linux.control.ControlClient;
import io.luo4j.linux.control.Report;
import io.luo4j.linux.control.StatusReport;
import io.luo4j.linux.control.UpgradeOutcome;
import io.luo4j.linux.control.UpgradeRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code luoctl demo}, the main job: starts the kv service, loads keys, puts it under client load,
 * live-updates it several times under that load, verifies every key, and prints a per-upgrade table
 * and one summary line:
 * <pre>demo: upgrades=3 requests=812345 failed=0 reconnects=0 keys_verified=100000/100000 max_blackout_ms=2.1</pre>
 * The blackout is what the clients saw: the longest any of them waited for one reply during an
 * upgrade. Exit 0 only when every upgrade committed, nothing failed, no client reconnected and
 * every key verified.
 */
@Command(name = "demo", description = "Live-update the kv service several times under client load, then verify every key.")
final class DemoCommand implements Callable<Integer> {
    /** Each upgrade may take a minute to start its successor; pause limit and grace are the service's. */
    private static final UpgradeRequest UPGRADE = new UpgradeRequest(List.of(), Duration.ofSeconds(60), null, null);

    @Spec
    private CommandSpec spec;

    @Option(names = "--keys", defaultValue = "100000", converter = Ranges.Positive.class,
            description = "Keys to load and verify (default: ${DEFAULT-VALUE}).")
    private int keys;

    @Option(names = "--clients", defaultValue = "8", converter = Ranges.Positive.class,
            description = "Concurrent clients during the upgrades (default: ${DEFAULT-VALUE}).")
    private int clients;

    @Option(names = "--upgrades", defaultValue = "3", converter = Ranges.Positive.class,
            description = "Live updates under load (default: ${DEFAULT-VALUE}).")
    private int upgrades;

    @Option(names = "--memory", defaultValue = "1g", converter = ByteSize.class, description = "The service's data memory (default: ${DEFAULT-VALUE}).")
    private long memory;

    @Option(names = "--load-seconds", defaultValue = "1.5", converter = Ranges.FractionalSeconds.class,
            description = "Load before and between upgrades, in seconds (default: ${DEFAULT-VALUE}).")
    private double loadSeconds;

    /** One row of the table. */
    private record Row(int upgrade, long generation, double freeze, double handover, double predecessorBlackout,
            double clientBlackout, long descriptors, long stateBytes, boolean committed, String note) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String name = "demo-" + ProcessHandle.current().pid();
        int port = KvProcess.freePort();
        // what the service would refuse (--memory below a segment) is a usage error before anything starts
        KvConfig config = KvCommand.config(spec, name, "127.0.0.1", port, memory, null, false, true, 0);
        try (ScratchDirectory scratch = ScratchDirectory.create("luo4j-demo")) {
            Path runtime = scratch.path();
            progress(out, "starting the kv service " + name + " on 127.0.0.1:" + port + " (log: " + runtime.resolve(name + ".log") + ")");
            return run(out, config, runtime);
        }
    }

    private int run(PrintWriter out, KvConfig config, Path runtime) throws Exception {
        String name = config.name();
        int port = config.port();
        try (KvProcess service = KvProcess.start(name, port, runtime, List.of(), List.of("--memory", Long.toString(config.memory())))) {
            progress(out, "serving, pid " + service.servingPid() + "; loading " + keys + " keys");
            DemoKeys.load(port, keys);
            progress(out, "loaded; starting " + clients + " clients that check every reply");
            List<Row> rows = new ArrayList<>();
            long requests;
            long failed;
            long reconnects;
            double overallMax;
            List<String> failures;
            try (CheckedLoad load = new CheckedLoad(port, keys, clients)) {
                for (int u = 1; u <= upgrades; u++) {
                    Thread.sleep((long) (loadSeconds * 1000));
                    load.windowMaxMillis(); // the window starts now
                    int upgrade = u;
                    Report report = ControlClient.upgrade(RuntimeDirectory.controlSocket(runtime, name), "", UPGRADE,
                            phase -> progress(out, "upgrade " + upgrade + "/" + upgrades + ": " + phase));
                    Thread.sleep(200); // replies that waited through the upgrade arrive
                    double clientBlackout = load.windowMaxMillis();
                    rows.add(row(u, report, clientBlackout, port));
                }
                Thread.sleep((long) (loadSeconds * 1000));
                requests = load.requests();
                failed = load.failures();
                reconnects = load.connectionsLost();
                overallMax = load.overallMaxMillis();
                failures = load.firstFailures();
            }
            progress(out, "clients stopped after " + requests + " requests; verifying every key");
            int verified = DemoKeys.verify(port, keys);
            printTable(out, rows, overallMax);
            failures.forEach(f -> out.println("failure: " + f));
            boolean allCommitted = rows.stream().allMatch(Row::committed);
            double maxBlackout = rows.stream().mapToDouble(Row::clientBlackout).max().orElse(0);
            out.printf(Locale.ROOT, "demo: upgrades=%d requests=%d failed=%d reconnects=%d keys_verified=%d/%d max_blackout_ms=%.1f%n",
                    rows.stream().filter(Row::committed).count(), requests, failed, reconnects, verified, keys, maxBlackout);
            out.flush();
            return allCommitted && failed == 0 && reconnects == 0 && verified == keys ? 0 : 1;
        }
    }

    private Row row(int upgrade, Report report, double clientBlackout, int port) throws IOException {
        UpgradeOutcome outcome = StatusReport.upgradeOutcome(report);
        long stateBytes;
        try (RespClient client = new RespClient("127.0.0.1", port, 30_000)) {
            stateBytes = Long.parseLong(InfoReply.field(RespClient.text(client.call("INFO")), "luo4j_state_bytes"));
        }
        return new Row(upgrade, outcome.generation(), outcome.freezeMillis(), outcome.handoverMillis(), outcome.blackoutMillis(),
                clientBlackout, outcome.descriptors(), stateBytes, outcome.committed(), outcome.committed() ? "" : outcome.message());
    }

    private void printTable(PrintWriter out, List<Row> rows, double overallMax) {
        out.println();
        out.println("upgrade  generation  freeze ms  handover ms  blackout ms  client max ms    fds   state bytes  result");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%7d  %10d  %9.1f  %11.1f  %11.1f  %13.1f  %5d  %12d  %s%n", r.upgrade(), r.generation(), r.freeze(),
                    r.handover(), r.predecessorBlackout(), r.clientBlackout(), r.descriptors(), r.stateBytes(),
                    r.committed() ? "committed" : "rolled back: " + r.note());
        }
        out.println();
        out.println("freeze: quiesce and freeze in the old process; handover: image sent until the new one is ready;");
        out.println("blackout: quiesce until commit, as the old process measures it; client max: the longest any client");
        out.printf(Locale.ROOT, "waited for one reply during the upgrade (the demo's max_blackout_ms). Longest wait over the whole run: %.1f ms%n",
                overallMax);
        out.println();
    }

    private static void progress(PrintWriter out, String message) {
        out.println("demo: " + message);
        out.flush();
    }
}
