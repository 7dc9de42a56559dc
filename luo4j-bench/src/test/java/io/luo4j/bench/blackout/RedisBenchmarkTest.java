package io.luo4j.bench.blackout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisBenchmarkTest {
    @Test
    void readsRedisBenchmarksCsvByColumnName() {
        Map<String, String> row = RedisBenchmark.parse(
                "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"",
                "\"SET\",\"57034.21\",\"0.201\",\"0.040\",\"0.135\",\"0.431\",\"1.431\",\"36.287\"");
        assertEquals("SET", row.get("test"));
        assertEquals("57034.21", row.get("rps"));
        assertEquals("0.135", row.get("p50_latency_ms"));
        assertEquals("36.287", row.get("max_latency_ms"));
    }

    @Test
    void aLineThatDoesNotMatchItsHeaderIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> RedisBenchmark.parse("\"test\",\"rps\"", "\"SET\""));
    }
}
