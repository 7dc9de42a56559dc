package io.luo4j.image;

import java.util.Objects;

/**
 * One typed entry of an image: a preserved file, or an FLB. Both carry the same fields, so both are
 * written the same way.
 *
 * @param compatible      the handler's or FLB's compatible string, 1 to 47 bytes of UTF-8
 * @param value           for a file its token; for an FLB the number of files that use it
 * @param data            the handler's or FLB's serialized state (not copied: do not change it)
 * @param firstDescriptor index of the entry's first descriptor in the array sent beside the image
 * @param descriptorCount how many consecutive descriptors belong to the entry
 */
public record ImageEntry(String compatible, long value, byte[] data, int firstDescriptor, int descriptorCount) {
    private static final byte[] NO_DATA = new byte[0];

    public ImageEntry {
        Objects.requireNonNull(compatible, "compatible");
        data = data == null ? NO_DATA : data;
        if (firstDescriptor < 0 || descriptorCount < 0) {
            throw new IllegalArgumentException("descriptor range must not be negative: "
                    + firstDescriptor + "+" + descriptorCount);
        }
    }

    /** For a file entry: its token. */
    public long token() {
        return value;
    }

    /** For an FLB entry: how many preserved files used it at the upgrade. */
    public long users() {
        return value;
    }
}
