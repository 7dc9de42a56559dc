package io.luo4j.image;

import java.util.List;
import java.util.Objects;

/**
 * The content of one handover image: what a predecessor hands its successor.
 *
 * @param generation      the live update generation of the successor (the kernel's
 *                        {@code liveupdate-number}): the predecessor's plus one
 * @param sessions        the outgoing sessions, in creation order
 * @param flbs            the FLBs that had at least one user, in registration order
 * @param descriptorCount how many file descriptors travel beside the image; entries name theirs by
 *                        index into that array
 */
public record Image(long generation, List<ImageSession> sessions, List<ImageEntry> flbs, int descriptorCount) {
    public Image {
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative: " + generation);
        }
        if (descriptorCount < 0) {
            throw new IllegalArgumentException("descriptorCount must not be negative: " + descriptorCount);
        }
        sessions = List.copyOf(Objects.requireNonNull(sessions, "sessions"));
        flbs = List.copyOf(Objects.requireNonNull(flbs, "flbs"));
    }

    /** The number of files over all sessions. */
    public long fileCount() {
        long count = 0;
        for (ImageSession session : sessions) {
            count += session.files().size();
        }
        return count;
    }
}
