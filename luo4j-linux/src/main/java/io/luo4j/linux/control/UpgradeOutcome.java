package io.luo4j.linux.control;

import io.luo4j.Errno;
import java.util.Objects;

/**
 * How one upgrade ended, with its timings: the answer luoctl prints. Times are in milliseconds,
 * measured by the predecessor. Made by one of the three factories: {@link #committed},
 * {@link #rolledBack} (the successor or the freeze failed after the upgrade began) and
 * {@link #refused} (nothing was started or changed).
 *
 * @param committed       true when the successor took over; false when the predecessor rolled back or refused
 * @param generation      the successor's generation when committed, else the predecessor's
 * @param reason          why it rolled back or was refused (null when committed)
 * @param message         what happened, for a person
 * @param successorPid    the successor's process id (0 if it never started)
 * @param descriptors     preserved descriptors handed over beside the image
 * @param imageBytes      size of the image
 * @param startMillis     from the request until the successor connected (the service still serves)
 * @param freezeMillis    quiesce, freeze and image writing
 * @param handoverMillis  from the image sent until the successor was ready
 * @param blackoutMillis  from quiesce until commit or rollback: the time the service did not serve
 */
public record UpgradeOutcome(boolean committed, long generation, Errno reason, String message, long successorPid,
        int descriptors, long imageBytes, double startMillis, double freezeMillis, double handoverMillis, double blackoutMillis) {

    public UpgradeOutcome {
        Objects.requireNonNull(message, "message");
        if (committed != (reason == null)) {
            throw new IllegalArgumentException("a committed upgrade has no reason, any other has one: " + committed + ", " + reason);
        }
    }

    /** The successor took over generation {@code generation}. */
    public static UpgradeOutcome committed(long generation, long successorPid, int descriptors, long imageBytes, Timings timings) {
        return new UpgradeOutcome(true, generation, null, "committed", successorPid, descriptors, imageBytes,
                timings.startMillis(), timings.freezeMillis(), timings.handoverMillis(), timings.blackoutMillis());
    }

    /** The upgrade began and was rolled back: the predecessor serves on at {@code generation}. */
    public static UpgradeOutcome rolledBack(long generation, Errno reason, String message, long successorPid, long imageBytes,
            Timings timings) {
        return new UpgradeOutcome(false, generation, reason, message, successorPid, 0, imageBytes, timings.startMillis(),
                timings.freezeMillis(), timings.handoverMillis(), timings.blackoutMillis());
    }

    /** The upgrade was refused before anything changed (busy, not serving, no successor command). */
    public static UpgradeOutcome refused(long generation, Errno reason, String message) {
        return new UpgradeOutcome(false, generation, reason, message, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * The phases' durations in milliseconds; a phase that was not reached is 0.
     *
     * @param startMillis    request to successor connected
     * @param freezeMillis   quiesce to image written
     * @param handoverMillis image sent to successor ready
     * @param blackoutMillis quiesce to commit or rollback
     */
    public record Timings(double startMillis, double freezeMillis, double handoverMillis, double blackoutMillis) {
        public static final Timings NONE = new Timings(0, 0, 0, 0);
    }
}
