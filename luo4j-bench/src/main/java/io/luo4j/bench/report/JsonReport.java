package io.luo4j.bench.report;

import io.luo4j.bench.BenchReport;
import io.luo4j.bench.Machine;
import io.luo4j.bench.SuiteResult;
import io.luo4j.bench.TargetCheck;
import io.luo4j.linux.control.JsonWriter;

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
        JsonWriter json = new JsonWriter().beginObject()
                .name("command").value(report.command())
                .name("profile").value(report.profile().name())
                .name("started").value(report.started().toString())
                .name("seconds").value(report.took().toMillis() / 1000.0)
                .name("machine").beginObject().name("cores").value(m.cores()).name("memoryBytes").value(m.memoryBytes())
                .name("cpu").value(m.cpu()).name("kernel").value(m.kernel()).name("jdk").value(m.jdk()).endObject()
                .name("suites").beginObject();
        for (SuiteResult suite : report.suites()) {
            json.name(suite.id());
            suite.writeJson(json);
        }
        json.endObject().name("targets").beginArray();
        for (TargetCheck target : report.targets()) {
            json.beginObject().name("target").value(target.target()).name("measured").value(target.measured()).name("met").value(target.met())
                    .endObject();
        }
        json.endArray().name("functionalErrors").beginArray();
        report.functionalErrors().forEach(json::value);
        return json.endArray().endObject().toString();
    }
}
