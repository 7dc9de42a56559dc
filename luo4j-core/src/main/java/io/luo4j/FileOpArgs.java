package io.luo4j;

import java.util.Arrays;

/**
 * The arguments of one file handler callback, the kernel's {@code liveupdate_file_op_args}.
 *
 * <p>Each callback gets a fresh instance filled from the preserved file's record. Which fields a
 * callback may change, and which the orchestrator reads back afterwards:
 * <ul>
 *   <li>{@code preserve}: sets {@link #setSerializedData serialized data} (what the successor will
 *       see), {@link #setPrivateData private data} (runtime state for this process only) and the
 *       {@link #setDescriptors descriptors} to hand over beside the image.</li>
 *   <li>{@code freeze}: may replace the serialized data and the descriptors; the replacement is
 *       cleared again when the upgrade is rolled back.</li>
 *   <li>{@code retrieve} (successor): gets the serialized data and the received descriptors and must
 *       {@link #setFile set the file} it rebuilt.</li>
 *   <li>everything else reads only.</li>
 * </ul>
 *
 * <p>Arrays passed in or out are not copied: once handed over they belong to the orchestrator and
 * must not be changed.
 */
public final class FileOpArgs extends CallbackArgs {
    private final FileHandler handler;
    private final String sessionName;
    private final long token;
    private final RetrieveStatus retrieveStatus;
    private final LiveUpdateException retrieveFailure;
    private Object file;
    private Object privateData;

    FileOpArgs(FileHandler handler, String sessionName, long token, Object file, byte[] serializedData,
            Object privateData, int[] descriptors, RetrieveStatus retrieveStatus, LiveUpdateException retrieveFailure) {
        super(serializedData, descriptors);
        this.handler = handler;
        this.sessionName = sessionName;
        this.token = token;
        this.file = file;
        this.privateData = privateData;
        this.retrieveStatus = retrieveStatus;
        this.retrieveFailure = retrieveFailure;
    }

    /** The handler being called. */
    public FileHandler handler() {
        return handler;
    }

    /** The name of the session that holds the file. */
    public String sessionName() {
        return sessionName;
    }

    /** The application's token for the file, unique within its session. */
    public long token() {
        return token;
    }

    /**
     * The file: the object the application preserved, or in the successor the one {@code retrieve}
     * built ({@code null} in {@code retrieve} itself, and in {@code finish} of a file never retrieved).
     */
    public Object file() {
        return file;
    }

    /** For {@code retrieve}: the file rebuilt from the serialized data. */
    public void setFile(Object file) {
        this.file = file;
    }

    /** Runtime state {@code preserve} kept for this process; never carried to the successor. */
    public Object privateData() {
        return privateData;
    }

    /** For {@code preserve}: runtime state handed back to unpreserve, freeze and unfreeze. */
    public void setPrivateData(Object privateData) {
        this.privateData = privateData;
    }

    /** For {@code canFinish} and {@code finish}: whether the file was retrieved. */
    public RetrieveStatus retrieveStatus() {
        return retrieveStatus;
    }

    /** The failure of the retrieve when {@link #retrieveStatus()} is FAILED, else null. */
    public LiveUpdateException retrieveFailure() {
        return retrieveFailure;
    }

    @Override
    public String toString() {
        return "FileOpArgs[" + handler.compatible() + " session=" + sessionName + " token=" + token
                + " data=" + serializedData().length + "B descriptors=" + Arrays.toString(descriptors())
                + " status=" + retrieveStatus + "]";
    }
}
