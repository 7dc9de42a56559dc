package io.luo4j;

/**
 * The process's descriptor table as the orchestrator sees it, for the operations that name files by
 * descriptor number ({@link Session#preserveDescriptor}, {@link Session#retrieveDescriptor} and the
 * command layer): the kernel's {@code fget}, {@code fput} and {@code fd_install}.
 *
 * <p>No module provides one yet: whoever calls those operations provides the table of its process
 * (luod, a later module, will). luo4j-linux's handlers take the JDK's channels and {@code Memfd}
 * objects, not descriptor numbers. {@link #NONE}, the default, refuses every number.
 */
public interface FileTable {

    /**
     * Takes a reference on the file behind {@code fd} (so that it stays open while preserved, even
     * if the application closes {@code fd}) and returns the file object handlers will see.
     *
     * @throws LiveUpdateException EBADF if {@code fd} is not an open descriptor
     */
    Object acquire(int fd);

    /** Drops a reference taken by {@link #acquire}. */
    void release(Object file);

    /**
     * Gives the application a new descriptor for {@code file} and returns its number.
     *
     * @throws LiveUpdateException EMFILE if the table is full, EBADF if {@code file} has no descriptor
     */
    int install(Object file);

    /** A table without descriptors: every number is EBADF. */
    FileTable NONE = new FileTable() {
        @Override
        public Object acquire(int fd) {
            throw new LiveUpdateException(Errno.EBADF, "descriptor " + fd + " cannot be resolved: this orchestrator has no file table;"
                    + " create it with LiveUpdateOrchestrator.builder().fileTable(...), or preserve the file object");
        }

        @Override
        public void release(Object file) {}

        @Override
        public int install(Object file) {
            throw new LiveUpdateException(Errno.EBADF, "no descriptor can be installed: this orchestrator has no file table");
        }
    };
}
