package io.luo4j.bench.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of JSON for the tests (jackson-jr over jackson-core's parser, which refuses
 * trailing commas, NaN, leading zeros and unterminated strings; text after the value is refused
 * here), so that a report is checked as a script would read it. Numbers come back as Double, as a
 * script in most languages sees them. Throws IllegalArgumentException at the first thing that is
 * not JSON.
 */
final class JsonSyntax {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonSyntax() {}

    /** The value of {@code text}: a Map, List, String, Double, Boolean or null. */
    static Object parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            Object value = JSON.std.anyFrom(parser);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("text after the value: " + text);
            }
            return doubles(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private static Object doubles(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, doubles(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(doubles(v)));
            return copy;
        }
        return value;
    }
}
