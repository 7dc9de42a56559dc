package io.luo4j.image;

/**
 * The caps a reader enforces on an image before it believes a single count or length in it.
 *
 * @param maxImageBytes     largest image accepted, at most {@link #HARD_MAX_IMAGE_BYTES}
 * @param maxSessions       most sessions in one image
 * @param maxFilesPerSession most files in one session
 * @param maxFlbs           most FLB entries
 * @param maxEntryDataBytes largest serialized state of one file or FLB
 * @param maxDescriptors    most descriptors beside the image
 */
public record ImageLimits(long maxImageBytes, int maxSessions, int maxFilesPerSession, int maxFlbs,
        int maxEntryDataBytes, int maxDescriptors) {

    /** An image lives in one buffer, so it cannot exceed what one Java array can address. */
    public static final long HARD_MAX_IMAGE_BYTES = Integer.MAX_VALUE - 8;

    /** The defaults: 1 GiB image, 100,000 sessions, 1,000,000 files per session, 63 FLBs, 16 MiB state, 1,000,000 descriptors. */
    public static final ImageLimits DEFAULT = new ImageLimits(1L << 30, 100_000, 1_000_000, 63, 16 << 20, 1_000_000);

    public ImageLimits {
        if (maxImageBytes <= 0 || maxImageBytes > HARD_MAX_IMAGE_BYTES) {
            throw new IllegalArgumentException("maxImageBytes must be in 1.." + HARD_MAX_IMAGE_BYTES + ": " + maxImageBytes);
        }
        if (maxSessions < 0 || maxFilesPerSession < 0 || maxFlbs < 0 || maxEntryDataBytes < 0 || maxDescriptors < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }
}
