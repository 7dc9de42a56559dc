package io.luo4j.linux.control;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads back one flat JSON object, as {@link JsonWriter} writes an upgrade's answer: member names
 * to scalar values (strings unescaped; numbers, true, false as written; null as Java null). A nested
 * object or array, or anything that is not such an object, is refused with
 * {@link IllegalArgumentException}.
 */
final class FlatJson {
    private final String text;
    private int at;

    private FlatJson(String text) {
        this.text = text;
    }

    static Map<String, String> parse(String json) {
        return new FlatJson(json).object();
    }

    private Map<String, String> object() {
        Map<String, String> members = new LinkedHashMap<>();
        expect('{');
        if (peek() == '}') {
            at++;
            return end(members);
        }
        while (true) {
            String name = string();
            expect(':');
            members.put(name, value());
            char next = next();
            if (next == '}') {
                return end(members);
            }
            if (next != ',') {
                throw error("expected , or } after a member");
            }
        }
    }

    private Map<String, String> end(Map<String, String> members) {
        skipSpace();
        if (at != text.length()) {
            throw error("text after the object");
        }
        return members;
    }

    private String value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '{' || c == '[') {
            throw error("nested values are not read here");
        }
        int start = at;
        while (at < text.length() && ",} \t\r\n".indexOf(text.charAt(at)) < 0) {
            at++;
        }
        String literal = text.substring(start, at);
        if (literal.isEmpty()) {
            throw error("expected a value");
        }
        return literal.equals("null") ? null : literal;
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException bad) {
                        throw error("bad \\u escape");
                    }
                    at += 4;
                }
                default -> throw error("unknown escape \\" + e);
            }
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("expected " + c);
        }
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }

    private char peek() {
        skipSpace();
        if (at >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(at);
    }

    private void skipSpace() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("not a flat JSON object (" + what + " at offset " + at + ")");
    }
}
