package io.luo4j;

import java.util.List;

/**
 * A named container of preserved files (the kernel's session file).
 *
 * <p>An <em>outgoing</em> session is {@linkplain LiveUpdateOrchestrator#createSession created} in
 * the running process: files are {@linkplain #preserve preserved} into it and the next upgrade
 * hands it to the successor. Closing it before the upgrade aborts: every file is unpreserved,
 * newest first, and the name is free again.
 *
 * <p>An <em>incoming</em> session arrived from the predecessor and is
 * {@linkplain LiveUpdateOrchestrator#retrieveSession retrieved} by name, once. Its files are
 * {@linkplain #retrieve retrieved} by token, in any order; {@linkplain #finish finishing} it gives them
 * to the application for good. Closing a retrieved session finishes it.
 *
 * <p>Operations of the wrong direction are EINVAL. All operations wait while an upgrade runs and
 * are refused (ESHUTDOWN) once it has committed.
 */
public interface Session extends AutoCloseable {

    /** The session's name, exactly as created (1 to 63 bytes of UTF-8). */
    String name();

    /** Whether this session came from the predecessor. */
    boolean isIncoming();

    /**
     * Preserves {@code file} under {@code token} (outgoing only). The first registered handler whose
     * canPreserve accepts the file preserves it.
     *
     * @throws LiveUpdateException EEXIST token already used in this session; ENOSPC session full;
     *         EBADF file null or closed; ENOENT no handler accepts it; EBUSY the same file is already
     *         preserved; EINVAL incoming session; or the handler's own error. On any error nothing
     *         was preserved.
     */
    void preserve(long token, Object file);

    /**
     * Preserves the file behind descriptor {@code fd}, resolved through the orchestrator's
     * {@link FileTable}; the orchestrator keeps its own reference until the file is unpreserved.
     * Errors as {@link #preserve}.
     */
    void preserveDescriptor(long token, int fd);

    /**
     * The file preserved under {@code token} (incoming only): rebuilt by its handler on the first
     * call, the same object on every later call.
     *
     * @throws LiveUpdateException ENOENT no such token; EINVAL outgoing session; the handler's error,
     *         which later calls report again without retrying
     */
    Object retrieve(long token);

    /** {@link #retrieve(long)}, checked to be a {@code type}; EINVAL if it is something else. */
    default <T> T retrieve(long token, Class<T> type) {
        Object file = retrieve(token);
        if (!type.isInstance(file)) {
            throw new LiveUpdateException(Errno.EINVAL, "token " + token + " of session \"" + name() + "\" holds a "
                    + file.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(file);
    }

    /** {@link #retrieve(long)}, then a new descriptor for the file installed in the {@link FileTable}. */
    int retrieveDescriptor(long token);

    /**
     * Finishes an incoming session: asks every file's canFinish first (EBUSY and nothing finished if
     * any says no), then finishes every file newest first, retrieved or not. Afterwards its files
     * belong to the application, the session holds none and is no longer listed; as in the kernel,
     * it stays retrieved until it is {@linkplain #close closed} (retrieving it again is EINVAL until
     * then, ENOENT after). Finishing again does nothing.
     */
    void finish();

    /** The tokens of the files the session holds, in preservation order. */
    List<Long> tokens();

    /**
     * Outgoing: unpreserves every file, newest first, and frees the name. Incoming: finishes the
     * session unless it was finished, and removes it; if the finish fails the error is thrown and the
     * session stays open. Whatever unpreserve or finish callbacks throw, the close completes. Closing
     * twice does nothing.
     */
    @Override
    void close();
}
