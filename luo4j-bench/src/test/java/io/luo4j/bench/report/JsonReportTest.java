package io.luo4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReportTest {
    @SuppressWarnings("unchecked")
    private static <T> T at(Object json, Object... path) {
        Object value = json;
        for (Object step : path) {
            value = step instanceof Integer i ? ((List<Object>) value).get(i) : ((Map<String, Object>) value).get(step);
        }
        return (T) value;
    }

    @Test
    void theReportIsOneJsonDocumentAScriptCanReadFiguresFrom() {
        Object json = JsonSyntax.parse(JsonReport.json(ReportFixture.report()));

        assertEquals("bin/luoctl bench --quick --json", at(json, "command"));
        assertEquals("a \"quoted\" cpu", at(json, "machine", "cpu"));
        assertEquals(2.0, at(json, "machine", "cores"));
        assertEquals(300.0, at(json, "seconds"));
        assertEquals(12.8, at(json, "suites", "state", "sizes", 2, "handoverMillis"));
        assertEquals(15185.0, at(json, "suites", "state", "sizes", 2, "baselineHandoverMillis"));
        assertEquals(7.85, at(json, "suites", "fds", "counts", 0, "handoverMillis"));
        assertNull(at(json, "suites", "fds", "counts", 1, "handoverMillis"), "what was not measured is null, not 0");
        List<Object> targets = at(json, "targets");
        assertTrue(targets.size() >= 4);
        assertEquals(Boolean.TRUE, at(json, "targets", 0, "met"));
        assertTrue(targets.stream().anyMatch(t -> Boolean.FALSE.equals(at(t, "met"))), "the 100,000 target was not measured");
        assertEquals(List.of(), at(json, "functionalErrors"));
    }

    @Test
    void theReaderOfTheseTestsRefusesWhatIsNotJson() {
        for (String bad : List.of("{\"a\":1,}", "[1 2]", "{\"a\":NaN}", "\"unterminated", "{\"a\":1}{", "[01]")) {
            assertFalse(parses(bad), bad);
        }
    }

    private static boolean parses(String text) {
        try {
            JsonSyntax.parse(text);
            return true;
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return false;
        }
    }
}
