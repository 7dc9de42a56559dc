package io.luo4j.bench.report;

import io.luo4j.bench.BenchReport;
import io.luo4j.bench.Json;
import io.luo4j.bench.Machine;
import io.luo4j.bench.SuiteResult;
import java.util.Map;

/**
 * The report as one JSON document, for scripts: {@code command}, {@code machine},
 * {@code profile}, {@code seconds}, {@code suites} (one object per suite, by its id),
 * {@code targets} and {@code functionalErrors}. Times are in milliseconds, sizes in bytes, rates
 * per second; a figure that could not be measured is null.
 */
public final class JsonReport {
    private JsonReport() {}

    public static String json(BenchReport report) {
        Machine m = report.machine();
        Map<String, Object> suites = Json.object();
        for (SuiteResult suite : report.suites()) {
            suites.put(suite.id(), suite.json());
        }
        return Json.write(Json.object(
                "command", report.command(),
                "profile", report.profile().name(),
                "started", report.started().toString(),
                "seconds", report.took().toMillis() / 1000.0,
                "machine", Json.object("cores", m.cores(), "memoryBytes", m.memoryBytes(), "cpu", m.cpu(), "kernel", m.kernel(),
                        "jdk", m.jdk()),
                "suites", suites,
                "targets", report.targets().stream()
                        .map(t -> Json.object("target", t.target(), "measured", t.measured(), "met", t.met())).toList(),
                "functionalErrors", report.functionalErrors()));
    }
}
