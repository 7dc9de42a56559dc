package io.luo4j.bench.fds;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The descriptor baseline's own transport, written apart from luo4j's on purpose: a connected
 * AF_UNIX SOCK_SEQPACKET pair ({@code socketpair}) that sends batches of descriptors with
 * SCM_RIGHTS and one byte of payload, and nothing else. What the baseline measures is the kernel's
 * floor for moving descriptors between two ends, so it must not share the code it is compared with.
 *
 * <p>Every call's failure is an {@link IllegalStateException} naming the call and its errno; this
 * is a benchmark's fixture, not an API.
 */
final class ScmRights implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int MFD_CLOEXEC = 1;
    /** The kernel's SCM_MAX_FD: most descriptors in one message. */
    static final int MAX_BATCH = 253;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKETPAIR = call("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SENDMSG = call("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = call("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle MEMFD_CREATE = call("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /** struct iovec and struct msghdr (x86-64 and aarch64). */
    private static final StructLayout IOVEC = MemoryLayout.structLayout(ADDRESS.withName("base"), JAVA_LONG.withName("len"));
    private static final StructLayout MSGHDR = MemoryLayout.structLayout(ADDRESS.withName("name"), JAVA_INT.withName("namelen"),
            MemoryLayout.paddingLayout(4), ADDRESS.withName("iov"), JAVA_LONG.withName("iovlen"), ADDRESS.withName("control"),
            JAVA_LONG.withName("controllen"), JAVA_INT.withName("flags"), MemoryLayout.paddingLayout(4));
    /** struct cmsghdr followed by the descriptors. */
    private static final long CMSG_HEADER = 16;

    private final int sender;
    private final int receiver;

    private ScmRights(int sender, int receiver) {
        this.sender = sender;
        this.receiver = receiver;
    }

    private static MethodHandle call(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor,
                Linker.Option.captureCallState("errno"));
    }

    /** A connected pair: one end sends, the other receives. */
    static ScmRights pair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO_STATE);
            MemorySegment ends = arena.allocate(JAVA_INT, 2);
            check((int) SOCKETPAIR.invokeExact(state, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends), state, "socketpair");
            return new ScmRights(ends.getAtIndex(JAVA_INT, 0), ends.getAtIndex(JAVA_INT, 1));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A fresh empty memfd, close-on-exec. */
    static int memfd(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO_STATE);
            return check((int) MEMFD_CREATE.invokeExact(state, arena.allocateFrom(name), MFD_CLOEXEC), state, "memfd_create");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sends {@code fds} (at most {@value #MAX_BATCH}) in one message. */
    void send(int[] fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO_STATE);
            MemorySegment control = arena.allocate(CMSG_HEADER + 4L * fds.length + 7 & ~7L, 8);
            control.set(JAVA_LONG, 0, CMSG_HEADER + 4L * fds.length);
            control.set(JAVA_INT, 8, SOL_SOCKET);
            control.set(JAVA_INT, 12, SCM_RIGHTS);
            MemorySegment.copy(fds, 0, control, JAVA_INT, CMSG_HEADER, fds.length);
            MemorySegment msg = message(arena, control);
            check((int) (long) SENDMSG.invokeExact(state, sender, msg, 0), state, "sendmsg");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Receives one message; the descriptors that came with it (close-on-exec, the caller's). */
    int[] receive() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO_STATE);
            MemorySegment control = arena.allocate(CMSG_HEADER + 4L * MAX_BATCH + 7 & ~7L, 8);
            MemorySegment msg = message(arena, control);
            check((int) (long) RECVMSG.invokeExact(state, receiver, msg, MSG_CMSG_CLOEXEC), state, "recvmsg");
            long length = msg.get(JAVA_LONG, MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("controllen")));
            int count = length < CMSG_HEADER ? 0 : (int) ((control.get(JAVA_LONG, 0) - CMSG_HEADER) / 4);
            return control.asSlice(CMSG_HEADER, 4L * count).toArray(JAVA_INT);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A msghdr with one byte of payload and {@code control} as its ancillary buffer. */
    private static MemorySegment message(Arena arena, MemorySegment control) {
        MemorySegment payload = arena.allocate(1);
        MemorySegment iov = arena.allocate(IOVEC);
        iov.set(ADDRESS, IOVEC.byteOffset(MemoryLayout.PathElement.groupElement("base")), payload);
        iov.set(JAVA_LONG, IOVEC.byteOffset(MemoryLayout.PathElement.groupElement("len")), 1L);
        MemorySegment msg = arena.allocate(MSGHDR);
        msg.set(ADDRESS, MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("iov")), iov);
        msg.set(JAVA_LONG, MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("iovlen")), 1L);
        msg.set(ADDRESS, MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("control")), control);
        msg.set(JAVA_LONG, MSGHDR.byteOffset(MemoryLayout.PathElement.groupElement("controllen")), control.byteSize());
        return msg;
    }

    /** Closes descriptors, ignoring ones already closed. */
    static void closeAll(int[] fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(ERRNO_STATE);
            for (int fd : fds) {
                int ignored = (int) CLOSE.invokeExact(state, fd);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void close() {
        closeAll(new int[] {sender, receiver});
    }

    private static int check(int result, MemorySegment state, String call) {
        if (result < 0) {
            throw new IllegalStateException(call + " failed with errno " + (int) ERRNO.get(state, 0L));
        }
        return result;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
