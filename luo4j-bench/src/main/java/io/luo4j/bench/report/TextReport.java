package io.luo4j.bench.report;

import io.luo4j.bench.BenchReport;
import io.luo4j.bench.Format;
import io.luo4j.bench.SuiteResult;
import io.luo4j.bench.Table;
import io.luo4j.bench.TargetCheck;
import java.util.ArrayList;
import java.util.List;

/** The report for a terminal: each suite's tables, then the targets and any functional error. */
public final class TextReport {
    private TextReport() {}

    public static List<String> lines(BenchReport report) {
        List<String> lines = new ArrayList<>();
        lines.add("");
        lines.add("luo4j benchmarks (" + report.profile().name() + "), " + report.machine().cores() + " cores, "
                + Format.bytes(report.machine().memoryBytes()) + ", kernel " + report.machine().kernel() + ", " + report.machine().jdk()
                + "; took " + report.took().toMinutes() + " min " + report.took().toSecondsPart() + " s");
        for (SuiteResult suite : report.suites()) {
            lines.add("");
            lines.add("== " + suite.title());
            for (Table table : suite.tables()) {
                lines.add("");
                lines.addAll(table.text());
            }
        }
        lines.add("");
        lines.add("== Targets");
        for (TargetCheck target : report.targets()) {
            lines.add("  " + (target.met() ? "met    " : "NOT MET") + "  " + target.target() + ": " + target.measured());
        }
        List<String> errors = report.functionalErrors();
        lines.add("");
        lines.add(errors.isEmpty() ? "functional errors: none" : "FUNCTIONAL ERRORS:");
        errors.forEach(e -> lines.add("  " + e));
        return lines;
    }
}
