package io.luo4j.bench.blackout;

import io.luo4j.bench.Format;
import io.luo4j.bench.Json;
import io.luo4j.bench.Profile;
import io.luo4j.bench.Samples;
import io.luo4j.bench.SuiteResult;
import io.luo4j.bench.Table;
import io.luo4j.bench.TargetCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The blackout suite's figures: per mode, the kv service's switches as the checking clients and
 * redis-benchmark saw them; and per transport, the Netty example's upgrades as its checking HTTP
 * clients saw them.
 */
public record BlackoutResult(Profile profile, List<ModeResult> modes, List<NettyBlackout.Result> netty) implements SuiteResult {
    private static final double TARGET_MAX_MILLIS = 5;

    public BlackoutResult {
        modes = List.copyOf(modes);
        netty = List.copyOf(netty);
    }

    @Override
    public String id() {
        return "blackout";
    }

    @Override
    public String title() {
        return "Blackout under load";
    }

    @Override
    public String method() {
        return "The kv service holds the demo data set (" + Format.count(profile.keys()) + " keys) and " + profile.clients()
                + " checking Java clients hammer it (each: GET a loaded key, INCR its own counter, SET and GET a scratch key; every"
                + " reply checked, every request's times logged). It is then replaced " + profile.repeats() + " times per mode:"
                + " **luo4j** (`luoctl upgrade`: listener, connections and memfd heap handed over), **naive restart** (SHUTDOWN SAVE"
                + " writes a snapshot and exits, a new process loads it and binds; no warm-up, which would only lengthen the outage),"
                + " and **SO_REUSEPORT overlap** (SAVE, a new process loads the snapshot and binds beside the old one, the old one"
                + " drains and exits, as tableflip/nginx-style upgrades do). The window of a switch runs from the request until the"
                + " new process serves alone, so it includes the new JVM's start-up, during which the old one serves. Latencies are"
                + " those of requests in flight during the window; *longest gap* is the longest any client went between two replies;"
                + " *lost writes* are acknowledged INCRs missing afterwards. Then one more switch runs under redis-benchmark alone"
                + " (SET, 20 connections); redis-benchmark stops at the first connection it loses. The second service is the"
                + " Netty example (HTTP/1.1 on Netty 4.2, a request counter per path in a memfd), live-updated " + profile.repeats()
                + " times on each transport (NIO, native epoll) while " + profile.clients() + " keep-alive Java clients request"
                + " it, each checking that its path's count goes up by exactly one per reply; *max ms* is the longest any request"
                + " in flight during an upgrade took (from the request to the commit, and 500 ms after).";
    }

    private ModeResult luo4j() {
        return modes.stream().filter(m -> m.mode() == Mode.LUO4J).findFirst().orElse(null);
    }

    @Override
    public List<Table> tables() {
        List<Table> tables = new ArrayList<>();
        ModeResult luo4j = luo4j();
        double luo4jGap = luo4j == null ? Double.NaN : luo4j.median(s -> s.latency().longestGapMillis());
        List<List<String>> rows = new ArrayList<>();
        for (ModeResult m : modes) {
            double gap = m.median(s -> s.latency().longestGapMillis());
            rows.add(List.of(m.mode().label, Integer.toString(m.switches().size()), Format.count(m.total(SwitchEvent::failed)),
                    Format.count(m.total(SwitchEvent::dropped)), Format.count(m.total(SwitchEvent::refused)),
                    Format.count(m.total(SwitchEvent::lostWrites)), Format.count(m.keysVerified()) + "/" + Format.count(m.keys()),
                    Format.millis(m.median(SwitchEvent::windowMillis)), Format.millis(m.median(s -> s.latency().p50Millis())),
                    Format.millis(m.median(s -> s.latency().p99Millis())), Format.millis(m.median(s -> s.latency().p999Millis())),
                    Format.millis(m.median(s -> s.latency().maxMillis())), Format.millis(m.worst(s -> s.latency().maxMillis())),
                    Format.millis(gap), m.mode() == Mode.LUO4J ? "1x" : Format.ratio(gap / luo4jGap)));
        }
        tables.add(new Table("Checked Java clients during a switch (medians over the switches; worst max over all of them)",
                List.of("mode", "switches", "failed", "dropped", "refused", "lost writes", "keys kept", "switch ms", "p50 ms", "p99 ms",
                        "p99.9 ms", "max ms", "worst max ms", "longest gap ms", "gap vs luo4j"),
                rows));
        List<List<String>> redisRows = new ArrayList<>();
        for (ModeResult m : modes) {
            RedisBenchmark.Result r = m.redisBenchmark();
            redisRows.add(List.of(m.mode().label, r.completed() ? "yes" : "no", Format.count(r.requests()),
                    Double.isNaN(r.rps()) ? "-" : Format.rate(r.rps()), Format.millis(r.p50Millis()), Format.millis(r.p99Millis()),
                    Format.millis(r.maxMillis()), r.error().isEmpty() ? "" : r.error()));
        }
        tables.add(new Table("redis-benchmark (SET, 20 connections) during one more switch",
                List.of("mode", "completed", "requests", "throughput", "p50 ms", "p99 ms", "max ms", "error"), redisRows));
        if (!netty.isEmpty()) {
            List<List<String>> nettyRows = new ArrayList<>();
            for (NettyBlackout.Result r : netty) {
                Samples window = new Samples();
                Samples blackout = new Samples();
                Samples max = new Samples();
                r.switches().forEach(s -> {
                    window.add(s.windowMillis());
                    blackout.add(s.serviceBlackoutMillis());
                    max.add(s.maxMillis());
                });
                double worst = r.switches().stream().mapToDouble(NettyBlackout.Switch::maxMillis).max().orElse(Double.NaN);
                nettyRows.add(List.of(r.transport(), Integer.toString(r.switches().size()), Format.count(r.requests()),
                        Format.count(r.failed()), Format.count(r.dropped()), Format.millis(window.median()), Format.millis(blackout.median()),
                        Format.millis(max.median()), Format.millis(worst), r.error()));
            }
            tables.add(new Table("The Netty example (HTTP/1.1, checked keep-alive clients) during luo4j upgrades, per transport",
                    List.of("transport", "upgrades", "requests", "failed", "dropped", "switch ms", "service blackout ms", "max ms",
                            "worst max ms", "error"),
                    nettyRows));
        }
        if (luo4j != null && !luo4j.switches().isEmpty()) {
            List<List<String>> each = new ArrayList<>();
            int n = 1;
            for (SwitchEvent s : luo4j.switches()) {
                each.add(List.of(Integer.toString(n++), Format.millis(s.windowMillis()), Format.millis(s.serviceBlackoutMillis()),
                        Format.count(s.latency().requests()), Format.millis(s.latency().p99Millis()), Format.millis(s.latency().maxMillis()),
                        Format.millis(s.latency().longestGapMillis())));
            }
            tables.add(new Table("luo4j, each upgrade (service blackout: quiesce to commit, as the old process measures it)",
                    List.of("upgrade", "switch ms", "service blackout ms", "requests in window", "p99 ms", "max ms", "longest gap ms"), each));
        }
        return tables;
    }

    @Override
    public List<TargetCheck> targets() {
        ModeResult luo4j = luo4j();
        if (luo4j == null || luo4j.switches().isEmpty()) {
            return List.of(new TargetCheck("luo4j upgrades under load", "not measured: " + (luo4j == null ? "" : luo4j.error()), false));
        }
        long failed = luo4j.total(SwitchEvent::failed);
        long dropped = luo4j.total(SwitchEvent::dropped);
        double worst = luo4j.worst(s -> s.latency().maxMillis());
        return List.of(
                new TargetCheck("0 requests failed during luo4j upgrades", Format.count(failed) + " failed", failed == 0),
                new TargetCheck("0 connections dropped during luo4j upgrades", Format.count(dropped) + " dropped", dropped == 0),
                new TargetCheck("max latency during an upgrade < 5 ms (start-up excluded)",
                        Format.millis(worst) + " ms worst, " + Format.millis(luo4j.median(s -> s.latency().maxMillis())) + " ms median",
                        worst < TARGET_MAX_MILLIS));
    }

    @Override
    public List<String> functionalErrors() {
        List<String> errors = new ArrayList<>();
        for (ModeResult m : modes) {
            if (!m.error().isEmpty()) {
                errors.add("blackout, " + m.mode().label + ": " + m.error());
            }
        }
        for (NettyBlackout.Result r : netty) {
            if (!r.error().isEmpty() || r.failed() > 0 || r.dropped() > 0) {
                errors.add("blackout, Netty example (" + r.transport() + "): " + r.failed() + " requests failed, " + r.dropped()
                        + " connections dropped" + (r.error().isEmpty() ? "" : ": " + r.error()));
            }
        }
        ModeResult luo4j = luo4j();
        if (luo4j != null && luo4j.error().isEmpty()) {
            long failed = luo4j.total(SwitchEvent::failed);
            long dropped = luo4j.total(SwitchEvent::dropped);
            long lost = luo4j.total(SwitchEvent::lostWrites);
            if (failed > 0 || dropped > 0 || lost > 0) {
                errors.add("blackout, luo4j: " + failed + " requests failed, " + dropped + " connections dropped, " + lost
                        + " writes lost during upgrades");
            }
            if (luo4j.keysVerified() != luo4j.keys()) {
                errors.add("blackout, luo4j: " + luo4j.keysVerified() + " of " + luo4j.keys() + " keys verified after the upgrades");
            }
            if (RedisBenchmark.installed() && !luo4j.redisBenchmark().completed()) {
                errors.add("blackout, luo4j: redis-benchmark did not complete across an upgrade: " + luo4j.redisBenchmark().error());
            }
        }
        return errors;
    }

    @Override
    public Map<String, Object> json() {
        return Json.object("modes", modes.stream().map(BlackoutResult::modeJson).toList(),
                "netty", netty.stream().map(r -> Json.object("transport", r.transport(), "requests", r.requests(), "failed", r.failed(),
                        "dropped", r.dropped(), "error", r.error(),
                        "worstMaxMillis", r.switches().stream().mapToDouble(NettyBlackout.Switch::maxMillis).max().orElse(Double.NaN),
                        "upgrades", r.switches().stream().map(s -> Json.object("switchMillis", s.windowMillis(),
                                "serviceBlackoutMillis", s.serviceBlackoutMillis(), "requests", s.requests(), "maxMillis", s.maxMillis()))
                                .toList())).toList());
    }

    private static Map<String, Object> modeJson(ModeResult m) {
        RedisBenchmark.Result r = m.redisBenchmark();
        return Json.object("mode", m.mode().id, "label", m.mode().label,
                "keysVerified", m.keysVerified(), "keys", m.keys(), "error", m.error(),
                "failed", m.total(SwitchEvent::failed), "dropped", m.total(SwitchEvent::dropped),
                "refused", m.total(SwitchEvent::refused), "lostWrites", m.total(SwitchEvent::lostWrites),
                "median", Json.object(
                        "switchMillis", m.median(SwitchEvent::windowMillis),
                        "p50Millis", m.median(s -> s.latency().p50Millis()),
                        "p99Millis", m.median(s -> s.latency().p99Millis()),
                        "p999Millis", m.median(s -> s.latency().p999Millis()),
                        "maxMillis", m.median(s -> s.latency().maxMillis()),
                        "longestGapMillis", m.median(s -> s.latency().longestGapMillis())),
                "worstMaxMillis", m.worst(s -> s.latency().maxMillis()),
                "switches", m.switches().stream().map(s -> Json.object(
                        "switchMillis", s.windowMillis(), "serviceBlackoutMillis", s.serviceBlackoutMillis(),
                        "requests", s.latency().requests(), "p50Millis", s.latency().p50Millis(),
                        "p99Millis", s.latency().p99Millis(), "p999Millis", s.latency().p999Millis(),
                        "maxMillis", s.latency().maxMillis(), "longestGapMillis", s.latency().longestGapMillis(),
                        "failed", s.failed(), "dropped", s.dropped(), "refused", s.refused(),
                        "lostWrites", s.lostWrites())).toList(),
                "redisBenchmark", Json.object("completed", r.completed(), "requests", r.requests(), "rps", r.rps(),
                        "p50Millis", r.p50Millis(), "p99Millis", r.p99Millis(), "maxMillis", r.maxMillis(), "error", r.error()));
    }
}
