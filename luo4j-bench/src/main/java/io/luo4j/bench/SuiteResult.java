package io.luo4j.bench;

import java.util.List;
import java.util.Map;

/** What one suite of the benchmarks found: tables for people, JSON for scripts, targets, errors. */
public interface SuiteResult {
    /** A short identifier: the JSON member and the --suites name ("blackout", "state", ...). */
    String id();

    /** A heading. */
    String title();

    /** How it was measured, and against what baseline (Markdown). */
    String method();

    List<Table> tables();

    List<TargetCheck> targets();

    /**
     * What went wrong functionally (a lost key, a rolled-back upgrade, a failed request where luo4j
     * promises none): the bench exits non-zero when any suite has one. Slow figures are not errors.
     */
    List<String> functionalErrors();

    /** The suite's figures as one JSON object ({@link Json#object}). */
    Map<String, Object> json();
}
