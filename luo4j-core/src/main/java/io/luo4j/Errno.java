package io.luo4j;

/**
 * The errno-like reason of a {@link LiveUpdateException}.
 *
 * <p>The names and numbers are Linux's (x86-64), so that a reason reads the same in a Java stack
 * trace, in the kernel LUO documentation and on the wire of the control socket, which carries the
 * number. The description is {@code strerror}'s text.
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    EIO(5, "Input/output error"),
    E2BIG(7, "Argument list too long"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    EINVAL(22, "Invalid argument"),
    EMFILE(24, "Too many open files"),
    ENOTTY(25, "Inappropriate ioctl for device"),
    EFBIG(27, "File too large"),
    ENOSPC(28, "No space left on device"),
    EPIPE(32, "Broken pipe"),
    EDEADLK(35, "Resource deadlock avoided"),
    ENAMETOOLONG(36, "File name too long"),
    ENODATA(61, "No data available"),
    EPROTO(71, "Protocol error"),
    EBADMSG(74, "Bad message"),
    EOVERFLOW(75, "Value too large for defined data type"),
    EOPNOTSUPP(95, "Operation not supported"),
    ECONNRESET(104, "Connection reset by peer"),
    ESHUTDOWN(108, "Cannot send after transport endpoint shutdown"),
    ETIMEDOUT(110, "Connection timed out"),
    ECONNREFUSED(111, "Connection refused"),
    ECANCELED(125, "Operation canceled");

    private final int number;
    private final String description;

    Errno(int number, String description) {
        this.number = number;
        this.description = description;
    }

    /** The positive Linux errno value, e.g. 17 for {@link #EEXIST}. */
    public int number() {
        return number;
    }

    /** The {@code strerror} text, e.g. "File exists". */
    public String description() {
        return description;
    }

    /**
     * The reason with this errno value.
     *
     * @throws IllegalArgumentException if luo4j never reports that number
     */
    public static Errno ofNumber(int number) {
        for (Errno errno : values()) {
            if (errno.number == number) {
                return errno;
            }
        }
        throw new IllegalArgumentException("errno " + number + " is not one luo4j reports");
    }
}
