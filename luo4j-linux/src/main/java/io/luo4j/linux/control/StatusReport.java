package io.luo4j.linux.control;

import io.luo4j.Errno;
import io.luo4j.OrchestratorStatus;
import io.luo4j.OrchestratorStatus.SessionStatus;
import io.luo4j.linux.handover.UpgradeOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders {@code luoctl status} and {@code luoctl upgrade} answers from the orchestrator's state. */
public final class StatusReport {
    private StatusReport() {}

    /** The status of service {@code name}, with the outcome of its last upgrade (may be null). */
    public static Report status(String name, long pid, OrchestratorStatus status, UpgradeOutcome lastUpgrade) {
        List<String> text = new ArrayList<>();
        text.add(String.format("service %s  pid %d  generation %d  %s", name, pid, status.generation(),
                status.phase().name().toLowerCase().replace('_', ' ')));
        text.add("handlers: " + String.join(", ", status.handlers()));
        for (OrchestratorStatus.FlbStatus flb : status.flbs()) {
            text.add("flb " + flb.compatible() + ": " + flb.users() + " users");
        }
        sessions(text, "outgoing", status.outgoing());
        sessions(text, "incoming", status.incoming());
        if (lastUpgrade != null) {
            text.add("last upgrade: " + summary(lastUpgrade));
        }
        JsonWriter json = new JsonWriter().beginObject()
                .name("service").value(name)
                .name("pid").value(pid)
                .name("generation").value(status.generation())
                .name("phase").value(status.phase().name())
                .name("handlers").beginArray();
        status.handlers().forEach(json::value);
        json.endArray().name("flbs").beginArray();
        for (OrchestratorStatus.FlbStatus flb : status.flbs()) {
            json.beginObject().name("compatible").value(flb.compatible()).name("users").value(flb.users()).endObject();
        }
        json.endArray();
        sessionsJson(json, "outgoing", status.outgoing());
        sessionsJson(json, "incoming", status.incoming());
        json.name("lastUpgrade");
        if (lastUpgrade == null) {
            json.value((String) null);
        } else {
            outcomeJson(json, lastUpgrade);
        }
        return new Report(text, json.endObject().toString(), 0);
    }

    /** The answer to an upgrade: exit 0 when committed, 1 when rolled back. */
    public static Report upgrade(String name, UpgradeOutcome outcome) {
        List<String> text = List.of("upgrade of " + name + ": " + summary(outcome));
        JsonWriter json = new JsonWriter();
        outcomeJson(json, outcome);
        return new Report(text, json.toString(), outcome.committed() ? 0 : 1);
    }

    /**
     * The outcome an upgrade's answer carries, read back from its JSON: what a script or the
     * benchmarks get from {@code luoctl upgrade --json}.
     *
     * @throws IllegalArgumentException when {@code report} is not an upgrade's answer
     */
    public static UpgradeOutcome upgradeOutcome(Report report) {
        Map<String, String> m = FlatJson.parse(report.json());
        if (!m.containsKey("committed") || !m.containsKey("blackoutMillis")) {
            throw new IllegalArgumentException("not the answer to an upgrade: " + report.json());
        }
        String reason = m.get("reason");
        return new UpgradeOutcome(Boolean.parseBoolean(m.get("committed")), Long.parseLong(m.get("generation")),
                reason == null ? null : Errno.valueOf(reason), m.get("message"), Long.parseLong(m.get("successorPid")),
                Integer.parseInt(m.get("descriptors")), Long.parseLong(m.get("imageBytes")), Double.parseDouble(m.get("startMillis")),
                Double.parseDouble(m.get("freezeMillis")), Double.parseDouble(m.get("handoverMillis")),
                Double.parseDouble(m.get("blackoutMillis")));
    }

    private static String summary(UpgradeOutcome o) {
        if (!o.committed()) {
            return "rolled back (" + o.reason() + "): " + o.message();
        }
        return String.format("committed generation %d, successor pid %d; %d descriptors, image %d bytes;"
                        + " start %.0f ms, freeze %.1f ms, handover %.1f ms, blackout %.1f ms",
                o.generation(), o.successorPid(), o.descriptors(), o.imageBytes(), o.startMillis(), o.freezeMillis(),
                o.handoverMillis(), o.blackoutMillis());
    }

    private static void sessions(List<String> text, String direction, List<SessionStatus> sessions) {
        text.add(direction + " sessions: " + sessions.size());
        for (SessionStatus session : sessions) {
            text.add("  " + session.name() + (session.incoming() ? (session.retrieved() ? " (retrieved)" : " (not retrieved)") : "")
                    + ": " + session.files().size() + " files");
            for (SessionStatus.FileStatus file : session.files()) {
                text.add(String.format("    token %-6d %-20s %8d bytes  %d fds%s", file.token(), file.compatible(), file.dataBytes(),
                        file.descriptors(), session.incoming() ? "  " + file.retrieveStatus().name().toLowerCase() : ""));
            }
        }
    }

    private static void sessionsJson(JsonWriter json, String direction, List<SessionStatus> sessions) {
        json.name(direction).beginArray();
        for (SessionStatus session : sessions) {
            json.beginObject().name("name").value(session.name()).name("retrieved").value(session.retrieved()).name("files").beginArray();
            for (SessionStatus.FileStatus file : session.files()) {
                json.beginObject()
                        .name("token").value(file.token())
                        .name("compatible").value(file.compatible())
                        .name("dataBytes").value(file.dataBytes())
                        .name("descriptors").value(file.descriptors())
                        .name("retrieveStatus").value(file.retrieveStatus().name())
                        .endObject();
            }
            json.endArray().endObject();
        }
        json.endArray();
    }

    private static void outcomeJson(JsonWriter json, UpgradeOutcome o) {
        json.beginObject()
                .name("committed").value(o.committed())
                .name("generation").value(o.generation())
                .name("reason").value(o.reason() == null ? null : o.reason().name())
                .name("message").value(o.message())
                .name("successorPid").value(o.successorPid())
                .name("descriptors").value(o.descriptors())
                .name("imageBytes").value(o.imageBytes())
                .name("startMillis").value(o.startMillis())
                .name("freezeMillis").value(o.freezeMillis())
                .name("handoverMillis").value(o.handoverMillis())
                .name("blackoutMillis").value(o.blackoutMillis())
                .endObject();
    }
}
