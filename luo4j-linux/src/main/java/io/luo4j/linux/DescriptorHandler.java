package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.FileHandler;
import io.luo4j.FileOpArgs;
import io.luo4j.LiveUpdateException;
import io.luo4j.RetrieveStatus;
import io.luo4j.linux.internal.FileIdentity;
import io.luo4j.linux.internal.Libc;

/**
 * What every built-in handler of a descriptor-backed file does, written once:
 * <ul>
 *   <li>preserve takes the orchestrator's own reference, a close-on-exec duplicate of the
 *       descriptor (so the file stays open even if the application closes its channel), sends that
 *       duplicate beside the image and records the file's state;</li>
 *   <li>freeze records the state again (positions and unread bytes move after preserve); what
 *       the kernel keeps per open file (seals, offset) is read through the orchestrator's
 *       duplicate, so an application may close its own copy of a memfd once it is preserved;</li>
 *   <li>unpreserve closes the duplicate;</li>
 *   <li>in the successor, retrieve rebuilds the Java object around the received descriptor
 *       (closing it if that fails), and finish closes the descriptor of a file nobody retrieved;</li>
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
        args.setSerializedData(stateOf(args.file(), (Integer) args.privateData()));
    }

    /** Closes the orchestrator's reference. */
    @Override
    public final void unpreserve(FileOpArgs args) {
        unpreserved(args.file());
        if (args.privateData() instanceof Integer reference) {
            Libc.close(reference);
        }
    }

    /** Rebuilds the object over the one received descriptor, closing the descriptor if that fails. */
    @Override
    public final void retrieve(FileOpArgs args) {
        int fd = receivedDescriptor(args);
        try {
            args.setFile(rebuild(fd, args.serializedData()));
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Closes the received descriptor of a file nobody retrieved; a retrieved one belongs to the application. */
    @Override
    public final void finish(FileOpArgs args) {
        if (args.retrieveStatus() == RetrieveStatus.NOT_ATTEMPTED && args.descriptors().length == 1) {
            Libc.close(args.descriptors()[0]); // nobody asked for it: give the file up
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + compatible + "]";
    }

    private int receivedDescriptor(FileOpArgs args) {
        if (args.descriptors().length != 1) {
            throw new LiveUpdateException(Errno.EBADMSG, compatible + " token " + args.token() + " arrived with "
                    + args.descriptors().length + " descriptors instead of 1");
        }
        return args.descriptors()[0];
    }
}
