package io.luo4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
    private final Table table = new Table("caption", List.of("mode", "ms"),
            List.of(List.of("luo4j", "7.5"), List.of("naive | restart", "1285")));

    @Test
    void textAlignsTheFirstColumnLeftAndFiguresRight() {
        List<String> lines = table.text();
        assertEquals("caption", lines.get(0));
        assertEquals("  mode               ms", lines.get(1));
        assertEquals("  luo4j             7.5", lines.get(2));
        assertEquals("  naive | restart  1285", lines.get(3));
    }

    @Test
    void markdownEscapesPipesInCells() {
        assertEquals(List.of("| mode | ms |", "| --- | ---: |", "| luo4j | 7.5 |", "| naive \\| restart | 1285 |"), table.markdown());
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Table("t", List.of("a", "b"), List.of(List.of("only one"))));
    }
}
