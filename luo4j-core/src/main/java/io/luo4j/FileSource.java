package io.luo4j;

import java.nio.channels.Channel;

/**
 * Where preserve gets its file from, and how it lets go of it on failure or unpreserve: an object
 * the application hands over, or a descriptor number resolved through the {@link FileTable} (the
 * kernel's {@code fget}/{@code fput}).
 */
interface FileSource {
    /** The file to preserve; EBADF if there is none. */
    Object acquire();

    /** Lets go of what {@link #acquire} took. */
    void release(Object file);

    /** A file object: EBADF when it is null or a closed channel. */
    static FileSource ofObject(Object file) {
        return new FileSource() {
            @Override
            public Object acquire() {
                if (file == null) {
                    throw new LiveUpdateException(Errno.EBADF, "no file was given to preserve (null)");
                }
                if (file instanceof Channel channel && !channel.isOpen()) {
                    throw new LiveUpdateException(Errno.EBADF, "the " + file.getClass().getSimpleName()
                            + " to preserve is already closed: preserve it while it is open");
                }
                return file;
            }

            @Override
            public void release(Object acquired) {}
        };
    }

    /** A descriptor number, resolved and referenced through {@code table}. */
    static FileSource ofDescriptor(FileTable table, int fd) {
        return new FileSource() {
            @Override
            public Object acquire() {
                if (fd < 0) {
                    throw new LiveUpdateException(Errno.EBADF, "descriptor " + fd + " is negative");
                }
                return table.acquire(fd);
            }

            @Override
            public void release(Object acquired) {
                table.release(acquired);
            }
        };
    }
}
