package io.luo4j.bench;

import java.util.Locale;

/** How the report writes figures: milliseconds, ratios, sizes and rates, the same way everywhere. */
public final class Format {
    private Format() {}

    /** Milliseconds with a precision that suits their size: "0.042", "3.18", "41.2", "1250". */
    public static String millis(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        if (ms < 1) {
            return String.format(Locale.ROOT, "%.3f", ms);
        }
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f", ms);
        }
        if (ms < 1000) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%.0f", ms);
    }

    /** A ratio: "0.01x", "2.3x", "150x". */
    public static String ratio(double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "-";
        }
        return String.format(Locale.ROOT, ratio < 1 ? "%.2fx" : ratio < 10 ? "%.1fx" : "%.0fx", ratio);
    }

    /** A size in binary units: "64 MiB", "4 GiB", "512 B". */
    public static String bytes(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (bytes >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return (bytes == Math.rint(bytes) ? String.format(Locale.ROOT, "%.0f", bytes) : String.format(Locale.ROOT, "%.1f", bytes))
                + " " + units[unit];
    }

    /** A count with thousands separators: "100,000". */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A rate per second with an SI prefix: "1.52 M/s", "830 k/s". */
    public static String rate(double perSecond) {
        if (perSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G/s", perSecond / 1e9);
        }
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M/s", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.0f k/s", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f /s", perSecond);
    }

    /** Bytes per second in binary units: "2.1 GiB/s". */
    public static String throughput(double bytesPerSecond) {
        return bytes(Math.round(bytesPerSecond * 10) / 10.0) + "/s";
    }
}
