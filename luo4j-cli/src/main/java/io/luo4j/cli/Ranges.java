package io.luo4j.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Numbers on luoctl's command line that only mean something within a range: a count of none or of
 * minus two, a negative time, a timeout of a thousand years. A value outside is a usage error while
 * the line is parsed, before the command runs, naming the option and the range ({@code Invalid value
 * for option '--timeout': -5 is out of range: 1 to 86400 seconds (a day)}), exit 2.
 */
final class Ranges {
    /**
     * The longest time any luoctl option accepts: a day. Longer is a typo, and the service turns
     * these times into deadlines in nanoseconds, which overflow at 292 years.
     */
    static final long DAY_SECONDS = 86_400;

    private Ranges() {}

    private static long whole(String value, long min, long max, String range) {
        long number;
        try {
            number = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
        if (number < min || number > max) {
            throw new TypeConversionException(value + " is out of range: " + range);
        }
        return number;
    }

    /** A count of one or more. */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) whole(value, 1, Integer.MAX_VALUE, "1 or more");
        }
    }

    /** A count of zero or more. */
    static final class NonNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) whole(value, 0, Integer.MAX_VALUE, "0 or more");
        }
    }

    /** A TCP port: 1 to 65535, or 0 for any free one. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) whole(value, 0, 65_535, "a TCP port is 1 to 65535 (0: any free one)");
        }
    }

    /** Whole seconds, 1 to a day. */
    static final class Seconds implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) whole(value, 1, DAY_SECONDS, "1 to " + DAY_SECONDS + " seconds (a day)");
        }
    }

    /** Milliseconds, 1 to a day. */
    static final class Millis implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return whole(value, 1, DAY_SECONDS * 1000, "1 to " + DAY_SECONDS * 1000 + " ms (a day)");
        }
    }

    /** Milliseconds, 0 to a day. */
    static final class MillisOrZero implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return whole(value, 0, DAY_SECONDS * 1000, "0 to " + DAY_SECONDS * 1000 + " ms (a day)");
        }
    }

    /** Seconds with a fraction, 0 to a day. */
    static final class FractionalSeconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double seconds;
            try {
                seconds = Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number of seconds");
            }
            if (!(seconds >= 0 && seconds <= DAY_SECONDS)) { // NaN too
                throw new TypeConversionException(value + " is out of range: 0 to " + DAY_SECONDS + " seconds (a day)");
            }
            return seconds;
        }
    }
}
