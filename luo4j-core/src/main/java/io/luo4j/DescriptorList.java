package io.luo4j;

import io.luo4j.image.ImageEntry;
import java.util.Arrays;

/**
 * The descriptors that travel beside an image: gathered in entry order while the image is built, and
 * sliced back per entry from the received array in the successor.
 */
final class DescriptorList {
    private int[] values = new int[16];
    private int size;

    /** Appends {@code descriptors} and returns the index of the first. */
    int addAll(int[] descriptors) {
        int first = size;
        if (size + descriptors.length > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, size + descriptors.length));
        }
        System.arraycopy(descriptors, 0, values, size, descriptors.length);
        size += descriptors.length;
        return first;
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }

    /** The part of the received descriptors that belongs to {@code entry}. */
    static int[] slice(int[] received, ImageEntry entry) {
        return Arrays.copyOfRange(received, entry.firstDescriptor(), entry.firstDescriptor() + entry.descriptorCount());
    }
}
