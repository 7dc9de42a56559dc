package io.luo4j.kv.client;

/** Fields of an INFO reply ("name:value" lines). */
public final class InfoReply {
    private InfoReply() {}

    /** The value of {@code name} in {@code info}, or "" when absent. */
    public static String field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }
}
