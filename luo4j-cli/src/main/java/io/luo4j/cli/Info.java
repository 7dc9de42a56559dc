package io.luo4j.cli;

/** Fields of an INFO reply ("name:value" lines). */
final class Info {
    private Info() {}

    /** The value of {@code name} in {@code info}, or "" when absent. */
    static String field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }
}
