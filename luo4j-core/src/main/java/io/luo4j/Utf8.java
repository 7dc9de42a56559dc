package io.luo4j;

/**
 * Names travel as UTF-8 (in the image, in the command structs), so a name must have an exact UTF-8
 * form. A Java string need not: half of a surrogate pair without its other half has none, and
 * {@code String.getBytes} would write it as '?', so that two different names could meet in the image
 * as one.
 */
final class Utf8 {
    private Utf8() {}

    /** The index of the first unpaired surrogate in {@code text}, or -1 if it has an exact UTF-8 form. */
    static int unpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
