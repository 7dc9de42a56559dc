package io.luo4j.linux.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import io.luo4j.Errno;
import io.luo4j.OrchestratorStatus;
import io.luo4j.OrchestratorStatus.SessionStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code luoctl status} and {@code luoctl upgrade} answers from the orchestrator's state:
 * lines for a person and one JSON document for a script (written and read with jackson-jr), and
 * reads an upgrade's answer back into its {@link UpgradeOutcome}.
 */
public final class StatusReport {
    private static final JSON JSON_WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);
    private static final JsonFactory FACTORY = new JsonFactory();

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
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("service", name);
        json.put("pid", pid);
        json.put("generation", status.generation());
        json.put("phase", status.phase().name());
        json.put("handlers", status.handlers());
        List<Object> flbs = new ArrayList<>();
        for (OrchestratorStatus.FlbStatus flb : status.flbs()) {
            flbs.add(Map.of("compatible", flb.compatible(), "users", flb.users()));
        }
        json.put("flbs", flbs);
        json.put("outgoing", sessionsJson(status.outgoing()));
        json.put("incoming", sessionsJson(status.incoming()));
        json.put("lastUpgrade", lastUpgrade == null ? null : outcomeJson(lastUpgrade));
        return new Report(text, write(json), 0);
    }

    /** The answer to an upgrade: exit 0 when committed, 1 when rolled back or refused. */
    public static Report upgrade(String name, UpgradeOutcome outcome) {
        List<String> text = List.of("upgrade of " + name + ": " + summary(outcome));
        return new Report(text, write(outcomeJson(outcome)), outcome.committed() ? 0 : 1);
    }

    /** An answer that refuses a request: the errno's name in JSON, and its number as the exit code. */
    public static Report refusal(Errno reason, String message) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("error", reason.name());
        json.put("message", message);
        return new Report(List.of(message), write(json), reason.number());
    }

    /**
     * The outcome an upgrade's answer carries, read back from its JSON: what a script or the
     * benchmarks get from {@code luoctl upgrade --json}.
     *
     * @throws IllegalArgumentException when {@code report} is not an upgrade's answer
     */
    public static UpgradeOutcome upgradeOutcome(Report report) {
        Map<String, Object> m = readObject(report.json());
        if (!m.containsKey("committed") || !m.containsKey("blackoutMillis")) {
            throw new IllegalArgumentException("not the answer to an upgrade: " + report.json());
        }
        Object reason = m.get("reason");
        return new UpgradeOutcome(bool(m, "committed"), number(m, "generation").longValue(),
                reason == null ? null : Errno.valueOf(reason.toString()), (String) m.get("message"),
                number(m, "successorPid").longValue(), number(m, "descriptors").intValue(), number(m, "imageBytes").longValue(),
                number(m, "startMillis").doubleValue(), number(m, "freezeMillis").doubleValue(),
                number(m, "handoverMillis").doubleValue(), number(m, "blackoutMillis").doubleValue());
    }

    /**
     * The members of an answer's JSON object (a status: service, pid, generation, phase, ...).
     *
     * @throws IllegalArgumentException when the answer's JSON is not one object
     */
    public static Map<String, Object> members(Report report) {
        return readObject(report.json());
    }

    private static Map<String, Object> readObject(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            Object value = JSON.std.anyFrom(parser);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("text after the JSON object: " + json);
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("not a JSON object: " + json);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> members = (Map<String, Object>) map;
            return members;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + json + " (" + e.getMessage() + ")", e);
        }
    }

    private static Number number(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("\"" + key + "\" is not a number: " + m.get(key));
    }

    private static boolean bool(Map<String, Object> m, String key) {
        if (m.get(key) instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("\"" + key + "\" is not true or false: " + m.get(key));
    }

    private static String write(Object json) {
        try {
            return JSON_WRITER.asString(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
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

    private static List<Object> sessionsJson(List<SessionStatus> sessions) {
        List<Object> list = new ArrayList<>();
        for (SessionStatus session : sessions) {
            List<Object> files = new ArrayList<>();
            for (SessionStatus.FileStatus file : session.files()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("token", file.token());
                f.put("compatible", file.compatible());
                f.put("dataBytes", file.dataBytes());
                f.put("descriptors", file.descriptors());
                f.put("retrieveStatus", file.retrieveStatus().name());
                files.add(f);
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", session.name());
            s.put("retrieved", session.retrieved());
            s.put("files", files);
            list.add(s);
        }
        return list;
    }

    private static Map<String, Object> outcomeJson(UpgradeOutcome o) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("committed", o.committed());
        json.put("generation", o.generation());
        json.put("reason", o.reason() == null ? null : o.reason().name());
        json.put("message", o.message());
        json.put("successorPid", o.successorPid());
        json.put("descriptors", o.descriptors());
        json.put("imageBytes", o.imageBytes());
        json.put("startMillis", o.startMillis());
        json.put("freezeMillis", o.freezeMillis());
        json.put("handoverMillis", o.handoverMillis());
        json.put("blackoutMillis", o.blackoutMillis());
        return json;
    }
}
