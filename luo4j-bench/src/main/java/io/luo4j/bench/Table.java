package io.luo4j.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One table of figures, rendered as aligned text for the terminal and as Markdown for the report.
 * The first column is left-aligned, the others right-aligned.
 */
public record Table(String caption, List<String> columns, List<List<String>> rows) {
    public Table {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row of " + row.size() + " cells in a table of " + columns.size() + " columns");
            }
        }
    }

    /** Aligned text, a caption line first. */
    public List<String> text() {
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(caption);
        lines.add(line(columns, widths));
        rows.forEach(row -> lines.add(line(row, widths)));
        return lines;
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder out = new StringBuilder(" ");
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(' ').append(c == 0 ? cell + pad : pad + cell).append(' ');
        }
        return out.toString().stripTrailing();
    }

    /** A Markdown table (the caption is the caller's). */
    public List<String> markdown() {
        List<String> lines = new ArrayList<>();
        lines.add(markdownRow(columns));
        StringBuilder rule = new StringBuilder("|");
        for (int c = 0; c < columns.size(); c++) {
            rule.append(c == 0 ? " --- |" : " ---: |");
        }
        lines.add(rule.toString());
        rows.forEach(row -> lines.add(markdownRow(row)));
        return lines;
    }

    private static String markdownRow(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(c -> c.replace("|", "\\|")).toList()) + " |";
    }
}
