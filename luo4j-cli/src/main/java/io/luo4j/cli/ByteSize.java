package io.luo4j.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Sizes on the command line: a number of bytes with an optional k, m, g or t (powers of 1024): "512m", "4g". */
final class ByteSize implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.endsWith("b") || text.endsWith("i")) {
            text = text.substring(0, text.length() - 1);
        }
        int shift = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        try {
            long number = Long.parseLong(digits);
            if (number <= 0 || Long.numberOfLeadingZeros(number) <= shift) {
                throw new CommandLine.TypeConversionException("size out of range: " + value);
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("not a size: \"" + value + "\" (use bytes, or a number with k, m, g or t)");
        }
    }
}
