package io.luo4j.linux.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * An AF_UNIX SOCK_SEQPACKET socket: connection-oriented, and every message arrives whole, with the
 * descriptors that were sent with it (SCM_RIGHTS, at most {@link Libc#SCM_MAX_FD} per message).
 * The handover between a predecessor and its successor speaks over one of these.
 *
 * <p>All descriptors it creates or receives are close-on-exec, so none leaks into a child process.
 * Reads take a timeout; a peer that goes away is ECONNRESET.
 */
public final class SeqpacketSocket implements AutoCloseable {
    /** Largest message payload luo4j sends; images travel in a memfd, not in messages. */
    public static final int MAX_MESSAGE = 64 * 1024;

    private final int fd;
    private boolean closed;

    private SeqpacketSocket(int fd) {
        this.fd = fd;
    }

    /** A listening socket bound at {@code path} (which must not exist). */
    public static SeqpacketSocket listen(Path path) {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0);
        try {
            Libc.bindUnix(fd, path.toString());
            Libc.listen(fd, 4);
            return new SeqpacketSocket(fd);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** A socket connected to the listener at {@code path}. */
    public static SeqpacketSocket connect(Path path) {
        int fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0);
        try {
            Libc.connectUnix(fd, path.toString());
            return new SeqpacketSocket(fd);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Waits up to {@code timeoutMillis} for a connection; null on timeout. */
    public SeqpacketSocket accept(int timeoutMillis) {
        if (Libc.pollIn(fd, timeoutMillis) == 0) {
            return null;
        }
        return new SeqpacketSocket(Libc.accept(fd, Libc.SOCK_CLOEXEC));
    }

    /** Who is at the other end (uid, gid and pid at connect time). */
    public PeerCredentials peer() {
        return Libc.peerCredentials(fd);
    }

    /** Sends one message: {@code payload}, with {@code fds} attached (at most 253). */
    public void send(byte[] payload, int... fds) {
        if (fds.length > Libc.SCM_MAX_FD) {
            throw new LiveUpdateException(Errno.EINVAL, fds.length + " descriptors in one message; the kernel takes at most "
                    + Libc.SCM_MAX_FD + ": send them in batches");
        }
        if (payload.length == 0 || payload.length > MAX_MESSAGE) {
            throw new LiveUpdateException(Errno.EMSGSIZE, "a handover message has 1.." + MAX_MESSAGE + " bytes, not " + payload.length);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(payload.length);
            MemorySegment.copy(payload, 0, data, JAVA_BYTE, 0, payload.length);
            MemorySegment control = MemorySegment.NULL;
            long controlLength = 0;
            if (fds.length > 0) {
                controlLength = cmsgSpace(fds.length);
                control = arena.allocate(controlLength, 8);
                control.set(JAVA_LONG, 0, 16L + 4L * fds.length); // cmsg_len
                control.set(JAVA_INT, 8, Libc.SOL_SOCKET);
                control.set(JAVA_INT, 12, Libc.SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) {
                    control.set(JAVA_INT, 16 + 4L * i, fds[i]);
                }
            }
            MemorySegment msg = msghdr(arena, data, payload.length, control, controlLength);
            long sent = Libc.sendmsg(fd, msg, Libc.MSG_NOSIGNAL);
            if (sent != payload.length) {
                throw new LiveUpdateException(Errno.EIO, "sendmsg sent " + sent + " of " + payload.length + " bytes");
            }
        } catch (LiveUpdateException e) {
            if (e.reason() == Errno.EPIPE) {
                throw new LiveUpdateException(Errno.ECONNRESET, "the peer closed the handover socket", e);
            }
            throw e;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for one message; null on timeout. ECONNRESET when the peer
     * closed the socket. Descriptors that arrive are close-on-exec and belong to the caller.
     */
    public Message receive(int timeoutMillis) {
        if (Libc.pollIn(fd, timeoutMillis) == 0) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(MAX_MESSAGE);
            long controlLength = cmsgSpace(Libc.SCM_MAX_FD);
            MemorySegment control = arena.allocate(controlLength, 8);
            MemorySegment msg = msghdr(arena, data, MAX_MESSAGE, control, controlLength);
            long received = Libc.recvmsg(fd, msg, Libc.MSG_CMSG_CLOEXEC);
            int[] fds = receivedDescriptors(control, msg.get(JAVA_LONG, 40));
            if ((msg.get(JAVA_INT, 48) & Libc.MSG_CTRUNC) != 0) {
                closeAll(fds);
                throw new LiveUpdateException(Errno.EPROTO, "descriptors were cut off in transit (MSG_CTRUNC): the handover is incomplete");
            }
            if (received == 0) {
                closeAll(fds);
                throw new LiveUpdateException(Errno.ECONNRESET, "the peer closed the handover socket");
            }
            byte[] payload = data.asSlice(0, received).toArray(JAVA_BYTE);
            return new Message(payload, fds);
        }
    }

    private static int[] receivedDescriptors(MemorySegment control, long controlLength) {
        int[] fds = new int[0];
        long offset = 0;
        while (offset + 16 <= controlLength) {
            long length = control.get(JAVA_LONG, offset);
            int level = control.get(JAVA_INT, offset + 8);
            int type = control.get(JAVA_INT, offset + 12);
            if (length < 16 || offset + length > controlLength) {
                break;
            }
            if (level == Libc.SOL_SOCKET && type == Libc.SCM_RIGHTS) {
                int count = (int) ((length - 16) / 4);
                int[] more = new int[fds.length + count];
                System.arraycopy(fds, 0, more, 0, fds.length);
                for (int i = 0; i < count; i++) {
                    more[fds.length + i] = control.get(JAVA_INT, offset + 16 + 4L * i);
                }
                fds = more;
            }
            offset += (length + 7) & ~7L;
        }
        return fds;
    }

    private static MemorySegment msghdr(Arena arena, MemorySegment data, long length, MemorySegment control, long controlLength) {
        MemorySegment iov = arena.allocate(16, 8);
        iov.set(ADDRESS, 0, data);
        iov.set(JAVA_LONG, 8, length);
        MemorySegment msg = arena.allocate(56, 8);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1L);
        msg.set(ADDRESS, 32, control);
        msg.set(JAVA_LONG, 40, controlLength);
        return msg;
    }

    private static long cmsgSpace(int fds) {
        return 16 + ((4L * fds + 7) & ~7L);
    }

    /** Closes descriptors received but not used. */
    public static void closeAll(int[] fds) {
        for (int fd : fds) {
            try {
                Libc.close(fd);
            } catch (LiveUpdateException ignored) {
                // already gone
            }
        }
    }

    public int fd() {
        return fd;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }

    /** One received message and its descriptors. */
    public record Message(byte[] payload, int[] fds) {}
}
