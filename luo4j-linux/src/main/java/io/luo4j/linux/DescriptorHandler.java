package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.FileHandler;
import io.luo4j.FileOpArgs;
import io.luo4j.LiveUpdateException;
import io.luo4j.RetrieveStatus;
import io.luo4j.linux.internal.FileIdentity;
import io.luo4j.linux.internal.Libc;
import java.util.Arrays;

/**
 * What every built-in handler of a descriptor-backed file does, written once:
 * <ul>
 *   <li>preserve takes the orchestrator's own reference, a close-on-exec duplicate of the
 *       descriptor (so the file stays open even if the application closes its channel), sends that
 *       duplicate beside the image and records the file's state;</li>
 *   <li>freeze records the state again (positions and unread bytes move after preserve); what
 *       the kernel keeps per open file (seals, offset) is read through the orchestrator's
 *       duplicate, so an application may close its own copy of a memfd once it is preserved. A
 *       handler may send more descriptors beside the file's own at freeze (large state kept out of
 *       the image, in a sealed memfd); unfreeze closes them again when the upgrade rolls back;</li>
 *   <li>unpreserve closes the duplicate;</li>
 *   <li>in the successor, retrieve rebuilds the Java object around the received descriptor and
 *       the ones beside it (closing them all if that fails), and finish closes the descriptors of
 *       a file nobody retrieved;</li>
 *   <li>identity is device and inode, so a dup of a preserved descriptor is caught (EBUSY).</li>
 * </ul>
 * A subclass says which objects it takes ({@link #canPreserve}), where their descriptor is, what
 * state to record and how to rebuild; the callbacks above are final here.
 */
abstract class DescriptorHandler implements FileHandler {
    private final String compatible;

    DescriptorHandler(String compatible) {
        this.compatible = compatible;
    }

    /** The application's descriptor of {@code file} (not owned by the handler). */
    abstract int descriptorOf(Object file);

    /**
     * The state to record for {@code file}, at preserve and again at freeze; {@code reference} is
     * the orchestrator's duplicate, which shares the open file description (offset, size, seals).
     */
    abstract byte[] stateOf(Object file, int reference);

    /** In the successor: the object over the received descriptor {@code fd}, which it now owns. */
    abstract Object rebuild(int fd, byte[] state);

    /** What freeze records: the state, and descriptors sent beside the file's own (the handler's until unfreeze or retrieve). */
    record Frozen(byte[] state, int[] beside) {
        static final int[] NONE = {};
    }

    /** At freeze: the state as of now; by default {@link #stateOf} and nothing beside. */
    Frozen frozenStateOf(Object file, int reference) {
        return new Frozen(stateOf(file, reference), Frozen.NONE);
    }

    /**
     * In the successor: the object over {@code fd} and the descriptors that came {@code beside} it
     * (which the call owns: it closes what it does not keep). By default there are none.
     */
    Object rebuild(int fd, byte[] state, int[] beside) {
        if (beside.length != 0) {
            throw new LiveUpdateException(Errno.EBADMSG, compatible + " arrived with " + (beside.length + 1)
                    + " descriptors instead of 1");
        }
        return rebuild(fd, state);
    }

    /** Called after preserve succeeded. */
    void preserved(Object file) {}

    /** Called when the file is unpreserved, or its preserve is undone. */
    void unpreserved(Object file) {}

    /** The versioned name of this file type, e.g. "memfd-v1". */
    @Override
    public final String compatible() {
        return compatible;
    }

    /** Device and inode of the file's descriptor: a dup of a preserved descriptor is the same file. */
    @Override
    public final Object identity(Object file) {
        return FileIdentity.of(descriptorOf(file));
    }

    /** Duplicates the descriptor as the orchestrator's reference, records the state and sends the duplicate. */
    @Override
    public final void preserve(FileOpArgs args) {
        int reference = Libc.dupCloexec(descriptorOf(args.file()));
        try {
            args.setSerializedData(stateOf(args.file(), reference));
            preserved(args.file());
        } catch (RuntimeException e) {
            Libc.close(reference);
            throw e;
        }
        args.setPrivateData(reference);
        args.setDescriptors(reference);
    }

    /** Records the state again, as of now, through the orchestrator's reference. */
    @Override
    public final void freeze(FileOpArgs args) {
        int reference = (Integer) args.privateData();
        Frozen frozen = frozenStateOf(args.file(), reference);
        args.setSerializedData(frozen.state());
        int[] descriptors = new int[1 + frozen.beside().length];
        descriptors[0] = reference;
        System.arraycopy(frozen.beside(), 0, descriptors, 1, frozen.beside().length);
        args.setDescriptors(descriptors);
    }

    /** Closes what freeze sent beside the file's own descriptor: the upgrade rolled back. */
    @Override
    public final void unfreeze(FileOpArgs args) {
        int[] descriptors = args.descriptors();
        for (int i = 1; i < descriptors.length; i++) {
            Libc.close(descriptors[i]);
        }
    }

    /** Closes the orchestrator's reference. */
    @Override
    public final void unpreserve(FileOpArgs args) {
        unpreserved(args.file());
        if (args.privateData() instanceof Integer reference) {
            Libc.close(reference);
        }
    }

    /** Rebuilds the object over the received descriptors, closing them all if that fails. */
    @Override
    public final void retrieve(FileOpArgs args) {
        int[] received = args.descriptors();
        if (received.length == 0) {
            throw new LiveUpdateException(Errno.EBADMSG, compatible + " token " + args.token() + " arrived without its descriptor");
        }
        try {
            args.setFile(rebuild(received[0], args.serializedData(), Arrays.copyOfRange(received, 1, received.length)));
        } catch (RuntimeException e) {
            for (int fd : received) {
                closeQuietly(fd);
            }
            throw e;
        }
    }

    /** Closes the received descriptors of a file nobody retrieved; a retrieved one belongs to the application. */
    @Override
    public final void finish(FileOpArgs args) {
        if (args.retrieveStatus() == RetrieveStatus.NOT_ATTEMPTED) {
            for (int fd : args.descriptors()) {
                closeQuietly(fd); // nobody asked for it: give the file up
            }
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Libc.close(fd);
        } catch (LiveUpdateException alreadyClosed) {
            // a rebuild that failed half way may have closed it already
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + compatible + "]";
    }
}
