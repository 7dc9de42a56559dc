package io.luo4j.bench;

import java.util.List;
import java.util.Map;

/** A suite that could not run at all: its error is the report's, the others still run. */
record FailedSuite(String id, String title, String error) implements SuiteResult {

    @Override
    public String method() {
        return "This suite could not run: " + error;
    }

    @Override
    public List<Table> tables() {
        return List.of();
    }

    @Override
    public List<TargetCheck> targets() {
        return List.of();
    }

    @Override
    public List<String> functionalErrors() {
        return List.of(id + ": " + error);
    }

    @Override
    public Map<String, Object> json() {
        return Json.object("error", error);
    }
}
