package io.luo4j;

import io.luo4j.image.ImageLimits;

/**
 * The caps of one orchestrator. Every count luo4j keeps has one, so that neither a runaway
 * application nor a hostile image can make it grow without bound; crossing a cap is ENOSPC (or
 * E2BIG for sizes) with a message that names the limit to raise.
 *
 * @param maxSessions        outgoing (and incoming) sessions at once; default 100,000
 * @param maxFilesPerSession files in one session; default 1,000,000 (the kernel stops at 128)
 * @param maxImageBytes      size of the handover image; default 1 GiB
 * @param maxEntryDataBytes  serialized state of one file or FLB; default 16 MiB
 * @param maxFlbs            registered FLBs; default 63, as in the kernel
 * @param maxDescriptors     descriptors sent beside one image; default 1,000,000
 */
public record Limits(int maxSessions, int maxFilesPerSession, long maxImageBytes, int maxEntryDataBytes, int maxFlbs,
        int maxDescriptors) {

    private static final Limits DEFAULTS = new Limits(100_000, 1_000_000, 1L << 30, 16 << 20, 63, 1_000_000);

    public Limits {
        if (maxSessions < 1 || maxFilesPerSession < 1 || maxEntryDataBytes < 0 || maxFlbs < 0 || maxDescriptors < 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxSessions + ", " + maxFilesPerSession + ", "
                    + maxEntryDataBytes + ", " + maxFlbs + ", " + maxDescriptors);
        }
        if (maxImageBytes < 72 || maxImageBytes > ImageLimits.HARD_MAX_IMAGE_BYTES) {
            throw new IllegalArgumentException("maxImageBytes must be in 72.." + ImageLimits.HARD_MAX_IMAGE_BYTES + ": " + maxImageBytes);
        }
    }

    /** The defaults listed above. */
    public static Limits defaults() {
        return DEFAULTS;
    }

    public Limits withMaxSessions(int value) {
        return new Limits(value, maxFilesPerSession, maxImageBytes, maxEntryDataBytes, maxFlbs, maxDescriptors);
    }

    public Limits withMaxFilesPerSession(int value) {
        return new Limits(maxSessions, value, maxImageBytes, maxEntryDataBytes, maxFlbs, maxDescriptors);
    }

    public Limits withMaxImageBytes(long value) {
        return new Limits(maxSessions, maxFilesPerSession, value, maxEntryDataBytes, maxFlbs, maxDescriptors);
    }

    public Limits withMaxEntryDataBytes(int value) {
        return new Limits(maxSessions, maxFilesPerSession, maxImageBytes, value, maxFlbs, maxDescriptors);
    }

    public Limits withMaxFlbs(int value) {
        return new Limits(maxSessions, maxFilesPerSession, maxImageBytes, maxEntryDataBytes, value, maxDescriptors);
    }

    public Limits withMaxDescriptors(int value) {
        return new Limits(maxSessions, maxFilesPerSession, maxImageBytes, maxEntryDataBytes, maxFlbs, value);
    }

    /** The same caps, as the image reader applies them to an incoming image. */
    ImageLimits imageLimits() {
        return new ImageLimits(maxImageBytes, maxSessions, maxFilesPerSession, maxFlbs, maxEntryDataBytes, maxDescriptors);
    }
}
