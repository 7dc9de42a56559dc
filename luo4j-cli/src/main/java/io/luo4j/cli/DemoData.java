package io.luo4j.cli;

/** The demo's data set: key i holds a value derived from i, so any reader can check it. */
final class DemoData {
    private static final String FILLER = "-luo4j-keeps-this-value-in-a-memfd-across-live-updates".repeat(4);

    private DemoData() {}

    static String key(int i) {
        return "demo:key:" + i;
    }

    /** About 100 bytes, different for every key. */
    static String value(int i) {
        return "value-" + i + FILLER.substring(0, 90 - Integer.toString(i).length());
    }
}
