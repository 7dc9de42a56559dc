package io.luo4j.linux.handover;

import io.luo4j.Errno;

/**
 * How one upgrade ended, with its timings. Times are in milliseconds, measured by the predecessor.
 *
 * @param committed       true when the successor took over; false when the predecessor rolled back
 * @param generation      the successor's generation when committed, else the predecessor's
 * @param reason          why it rolled back (null when committed)
 * @param message         what happened, for a person
 * @param successorPid    the successor's process id (0 if it never started)
 * @param descriptors     preserved descriptors handed over beside the image
 * @param imageBytes      size of the image
 * @param startMillis     from the request until the successor connected (overlaps with service)
 * @param freezeMillis    quiesce, freeze and image writing
 * @param handoverMillis  from the image sent until the successor was ready
 * @param blackoutMillis  from quiesce until commit: the time the service did not serve
 */
public record UpgradeOutcome(boolean committed, long generation, Errno reason, String message, long successorPid,
        int descriptors, long imageBytes, double startMillis, double freezeMillis, double handoverMillis, double blackoutMillis) {

    static UpgradeOutcome refused(long generation, Errno reason, String message) {
        return new UpgradeOutcome(false, generation, reason, message, 0, 0, 0, 0, 0, 0, 0);
    }
}
