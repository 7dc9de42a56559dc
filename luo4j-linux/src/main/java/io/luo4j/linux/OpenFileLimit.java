package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.Libc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's limit on open descriptors (RLIMIT_NOFILE), and raising it.
 *
 * <p>A service that preserves many descriptors needs room for all of them twice over during an
 * upgrade: the successor receives every one while the predecessor still holds its own. The
 * successor inherits the limit of the process that starts it, so raising it once, early in the
 * first generation, serves every later one. Above the hard limit only a privileged process
 * (CAP_SYS_RESOURCE) may go, and never above {@code /proc/sys/fs/nr_open}.
 */
public final class OpenFileLimit {
    private static final Path NR_OPEN = Path.of("/proc/sys/fs/nr_open");

    private OpenFileLimit() {}

    /** The soft limit: the most descriptors this process may have open now. */
    public static long current() {
        return Libc.getrlimit(Libc.RLIMIT_NOFILE)[0];
    }

    /** The hard limit: how far an unprivileged process may raise {@link #current()}. */
    public static long hard() {
        return Libc.getrlimit(Libc.RLIMIT_NOFILE)[1];
    }

    /**
     * Raises the soft limit (and the hard one, when it is lower and this process may) to at least
     * {@code wanted}; a limit already high enough is left alone.
     *
     * @return the soft limit now in force
     * @throws LiveUpdateException EPERM when {@code wanted} is above the hard limit and this process
     *         may not raise it; EINVAL when it is above the system's {@code fs.nr_open}
     */
    public static long raise(long wanted) {
        long[] limit = Libc.getrlimit(Libc.RLIMIT_NOFILE);
        if (limit[0] >= wanted) {
            return limit[0];
        }
        long ceiling = systemCeiling();
        if (wanted > ceiling) {
            throw new LiveUpdateException(Errno.EINVAL, "cannot allow " + wanted + " open files: the system allows at most " + ceiling
                    + " per process (sysctl fs.nr_open); raise that first");
        }
        try {
            Libc.setrlimit(Libc.RLIMIT_NOFILE, wanted, Math.max(wanted, limit[1]));
        } catch (LiveUpdateException e) {
            if (e.reason() == Errno.EPERM) {
                throw new LiveUpdateException(Errno.EPERM, "cannot allow " + wanted + " open files: the hard limit is " + limit[1]
                        + " and only a privileged process may raise it; run with CAP_SYS_RESOURCE, or raise it first"
                        + " (ulimit -Hn, systemd LimitNOFILE=)");
            }
            throw e;
        }
        return current();
    }

    private static long systemCeiling() {
        // Read as a stream: procfs may report a size that Files.readString trusts and cuts short.
        try (InputStream in = Files.newInputStream(NR_OPEN)) {
            return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return Long.MAX_VALUE; // the kernel will say
        }
    }
}
