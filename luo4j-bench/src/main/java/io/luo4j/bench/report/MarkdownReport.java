package io.luo4j.bench.report;

import io.luo4j.bench.BenchReport;
import io.luo4j.bench.Format;
import io.luo4j.bench.Machine;
import io.luo4j.bench.SuiteResult;
import io.luo4j.bench.Table;
import io.luo4j.bench.TargetCheck;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as Markdown (docs/benchmarks.md): the command and the machine first, then the
 * targets, then each suite with how it was measured and its tables; the plot, when there is one,
 * under the state-size suite.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    /** The document; {@code plotFile} is the plot's path relative to it, or null. */
    public static String markdown(BenchReport report, String plotFile) {
        List<String> out = new ArrayList<>();
        Machine m = report.machine();
        out.add("# luo4j benchmarks");
        out.add("");
        out.add("Produced by `" + report.command() + "`, started " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                report.started().atOffset(ZoneOffset.UTC).withNano(0)) + " UTC, " + report.took().toMinutes() + " min "
                + report.took().toSecondsPart() + " s. Every figure is the median of repeated measurements of this one run, and every"
                + " baseline was measured in the same run on the same machine. Regenerate it with the same command; `--json` gives"
                + " the same figures to a script.");
        out.add("");
        out.add("## Machine");
        out.add("");
        out.add("| | |");
        out.add("| --- | --- |");
        out.add("| CPUs | " + m.cores() + " (" + m.cpu() + ") |");
        out.add("| memory | " + Format.bytes(m.memoryBytes()) + " |");
        out.add("| kernel | " + m.kernel() + " |");
        out.add("| JDK | " + m.jdk() + " |");
        out.add("| profile | " + report.profile().name() + ": " + report.profile().repeats() + " repeats per point |");
        out.add("");
        out.add("## Targets");
        out.add("");
        out.add("| target | this run | met |");
        out.add("| --- | --- | --- |");
        for (TargetCheck target : report.targets()) {
            out.add("| " + target.target() + " | " + target.measured() + " | " + (target.met() ? "yes" : "**no**") + " |");
        }
        out.add("");
        List<String> errors = report.functionalErrors();
        out.add(errors.isEmpty() ? "Functional errors: none (no lost key, no rolled-back upgrade, no failed request under luo4j)."
                : "**Functional errors:** " + String.join("; ", errors));
        for (SuiteResult suite : report.suites()) {
            out.add("");
            out.add("## " + suite.title());
            out.add("");
            out.add(suite.method());
            for (Table table : suite.tables()) {
                out.add("");
                out.add("**" + table.caption() + "**");
                out.add("");
                out.addAll(table.markdown());
            }
            if (suite.id().equals("state") && plotFile != null) {
                out.add("");
                out.add("![Handover time against state size, luo4j and the snapshot baseline](" + plotFile + ")");
            }
        }
        out.add("");
        return String.join("\n", out);
    }
}
