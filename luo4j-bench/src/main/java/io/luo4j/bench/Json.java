package io.luo4j.bench;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmarks' JSON: results build their figures as ordered maps with {@link #object}, and
 * {@link #write} renders them with jackson-jr. Figures are written to three decimals; one that could
 * not be measured (NaN or an infinity) is written as null, never as a number JSON has no spelling for.
 */
public final class Json {
    private static final JSON WRITER = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private Json() {}

    /** An object of the given members, in order: name, value, name, value, ... */
    public static Map<String, Object> object(Object... members) {
        if (members.length % 2 != 0) {
            throw new IllegalArgumentException("members come in pairs of name and value: " + members.length + " items");
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < members.length; i += 2) {
            Object value = members[i + 1];
            object.put((String) members[i], value instanceof Double d ? figure(d) : value);
        }
        return object;
    }

    /** A measured figure to three decimals (as the tables show them); null when it was not measured. */
    private static Double figure(double value) {
        return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : null;
    }

    /** One JSON document on one line. */
    public static String write(Object document) {
        try {
            return WRITER.asString(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
    }
}
