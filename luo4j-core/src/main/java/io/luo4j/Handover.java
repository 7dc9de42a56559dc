package io.luo4j;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What an upgrade hands to the successor: the image and the descriptors that travel beside it, in
 * the order the image's entries name them.
 *
 * @param image       the image bytes, read-only, position 0
 * @param descriptors the descriptors to send beside the image
 * @param generation  the successor's generation, written in the image
 */
public record Handover(ByteBuffer image, int[] descriptors, long generation) {
    public Handover {
        image = Objects.requireNonNull(image, "image").asReadOnlyBuffer();
        descriptors = descriptors.clone();
    }

    /** The image bytes, read-only, positioned at 0 (a fresh view on every call). */
    @Override
    public ByteBuffer image() {
        return image.duplicate();
    }

    /** A copy of the descriptors. */
    @Override
    public int[] descriptors() {
        return descriptors.clone();
    }
}
