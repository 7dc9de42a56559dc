package io.luo4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void millisKeepThreeSignificantDigitsOrSo() {
        assertEquals("0.042", Format.millis(0.0421));
        assertEquals("3.18", Format.millis(3.1812));
        assertEquals("41.2", Format.millis(41.24));
        assertEquals("1250", Format.millis(1249.6));
        assertEquals("-", Format.millis(Double.NaN));
    }

    @Test
    void ratiosBelowOneKeepTwoDecimalsSoTheyDoNotReadAsZero() {
        assertEquals("0.01x", Format.ratio(1.0 / 128));
        assertEquals("2.3x", Format.ratio(2.31));
        assertEquals("150x", Format.ratio(150.2));
        assertEquals("-", Format.ratio(Double.POSITIVE_INFINITY));
        assertEquals("-", Format.ratio(Double.NaN));
    }

    @Test
    void sizesUseBinaryUnits() {
        assertEquals("512 B", Format.bytes(512));
        assertEquals("64 MiB", Format.bytes(64L << 20));
        assertEquals("3.8 GiB", Format.bytes(3.8 * (1L << 30)));
        assertEquals("100,000", Format.count(100_000));
    }

    @Test
    void ratesUseSiPrefixes() {
        assertEquals("1.52 M/s", Format.rate(1_523_000));
        assertEquals("830 k/s", Format.rate(830_100));
    }
}
