package io.luo4j;

import io.luo4j.image.ImageEntry;
import java.util.Arrays;

/**
 * The orchestrator's private state of one registered FLB (the kernel's {@code luo_flb_private}),
 * kept apart for the two directions and guarded by the instance's own lock, the innermost of the
 * hierarchy.
 *
 * <p>Outgoing: a count of preserved files that use the FLB; preserve on 0 to 1, unpreserve on 1 to 0.
 * Incoming: the entry the predecessor wrote, if any; its user count is loaded on first touch (by a
 * get or by a finishing file, whichever comes first), retrieve runs on the first get (or, if nobody
 * asked, just before finish), finish when the count drops to 0.
 */
final class FlbState {
    final Flb flb;
    /** How many handlers the FLB is linked to; it stays registered while this is positive. */
    int links;

    private long outgoingUsers;
    private byte[] outgoingData;
    private Object outgoingObject;
    private int[] outgoingDescriptors;

    private boolean incomingLoaded;
    private ImageEntry incomingEntry;
    private int[] incomingDescriptors;
    private long incomingUsers;
    private Object incomingObject;
    private boolean retrieved;
    private boolean finished;

    FlbState(Flb flb) {
        this.flb = flb;
    }

    /** A new file uses the FLB; the first one preserves it. */
    synchronized void takeOutgoing() {
        if (outgoingUsers == 0) {
            FlbOpArgs args = new FlbOpArgs(flb, null, null, null);
            Callbacks.run(() -> what("preserve"), () -> flb.preserve(args));
            outgoingData = args.serializedData();
            outgoingObject = args.object();
            outgoingDescriptors = args.descriptors();
        }
        outgoingUsers++;
    }

    /** A file no longer uses the FLB; the last one unpreserves it. */
    synchronized void dropOutgoing() {
        if (outgoingUsers == 0) {
            return;
        }
        if (--outgoingUsers == 0) {
            FlbOpArgs args = new FlbOpArgs(flb, outgoingData, outgoingObject, outgoingDescriptors);
            outgoingData = null;
            outgoingObject = null;
            outgoingDescriptors = null;
            Callbacks.runQuietly(() -> what("unpreserve"), () -> flb.unpreserve(args));
        }
    }

    synchronized long outgoingUsers() {
        return outgoingUsers;
    }

    synchronized Object outgoingObject() {
        if (outgoingUsers == 0) {
            throw new LiveUpdateException(Errno.ENOENT, "FLB " + flb.compatible() + " has no outgoing object yet:"
                    + " it is created when the first file that uses it is preserved");
        }
        return outgoingObject;
    }

    /** The FLB's entry for the image, or null when no file uses it. */
    synchronized ImageEntry outgoingEntry(DescriptorList descriptors) {
        if (outgoingUsers == 0) {
            return null;
        }
        int first = descriptors.addAll(outgoingDescriptors);
        return new ImageEntry(flb.compatible(), outgoingUsers, outgoingData, first, outgoingDescriptors.length);
    }

    /** Hands the FLB the predecessor's entry (null when there was none) and its received descriptors. */
    synchronized void offerIncoming(ImageEntry entry, int[] descriptors) {
        incomingEntry = entry;
        incomingDescriptors = descriptors;
    }

    /** The incoming object, retrieved on the first call. */
    synchronized Object incomingObject() {
        if (finished) {
            throw new LiveUpdateException(Errno.ENODATA, "FLB " + flb.compatible() + " was already finished:"
                    + " every file that used it has been finished");
        }
        if (incomingEntry == null) {
            throw new LiveUpdateException(Errno.ENOENT, "there is no incoming FLB " + flb.compatible()
                    + ": the predecessor preserved no file that used it");
        }
        retrieveIfNeeded();
        return incomingObject;
    }

    /** A file that used the FLB was finished; the last one finishes the FLB. */
    synchronized void putIncoming() {
        if (finished) {
            return;
        }
        loadIncoming();
        if (incomingEntry == null || --incomingUsers > 0) {
            return;
        }
        try {
            retrieveIfNeeded();
        } catch (LiveUpdateException e) {
            Callbacks.warn("FLB " + flb.compatible() + " could not be retrieved for its finish; it is left unfinished", e);
            return;
        }
        FlbOpArgs args = new FlbOpArgs(flb, incomingEntry.data(), incomingObject, incomingDescriptors);
        finished = true;
        incomingObject = null;
        Callbacks.runQuietly(() -> what("finish"), () -> flb.finish(args));
    }

    private void loadIncoming() {
        if (!incomingLoaded && incomingEntry != null) {
            incomingUsers = incomingEntry.users();
            incomingLoaded = true;
        }
    }

    private void retrieveIfNeeded() {
        if (retrieved) {
            return;
        }
        FlbOpArgs args = new FlbOpArgs(flb, incomingEntry.data(), null, incomingDescriptors);
        Callbacks.run(() -> what("retrieve"), () -> flb.retrieve(args));
        incomingObject = args.object();
        retrieved = true;
    }

    private String what(String callback) {
        return "FLB " + flb.compatible() + " " + callback;
    }

    @Override
    public synchronized String toString() {
        return flb.compatible() + "[out=" + outgoingUsers + " in=" + incomingUsers + " descriptors="
                + Arrays.toString(outgoingDescriptors) + "]";
    }
}
