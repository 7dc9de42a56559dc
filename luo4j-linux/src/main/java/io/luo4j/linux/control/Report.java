package io.luo4j.linux.control;

import java.util.List;

/**
 * An answer of the control socket in both forms luoctl prints: lines for a person, one JSON
 * document for a script, and the exit code.
 */
public record Report(List<String> text, String json, int exitCode) {
    public Report {
        text = List.copyOf(text);
    }
}
