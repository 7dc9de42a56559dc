package io.luo4j.linux.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library functions luo4j calls, bound through the FFM API (java.lang.foreign): no JNI and no
 * native build step. Every call captures {@code errno}; a failure becomes a
 * {@link LiveUpdateException} whose reason is that errno, and whose message names the call.
 *
 * <p>The JVM must allow native access: {@code --enable-native-access=io.luo4j.linux} on the module
 * path, {@code =ALL-UNNAMED} on the class path (bin/luoctl and the test configuration pass it; a
 * jar launched with {@code java -jar} may declare it in its manifest as
 * {@code Enable-Native-Access: ALL-UNNAMED}). Without it the JVM prints a warning on first use, and
 * a future JDK will refuse.
 *
 * <p>Constants and struct layouts are those of Linux on x86-64 and aarch64 (glibc).
 */
public final class Libc {
    private Libc() {}

    // memfd_create
    public static final int MFD_CLOEXEC = 0x1;
    public static final int MFD_ALLOW_SEALING = 0x2;
    // fcntl
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int F_ADD_SEALS = 1033;
    public static final int F_GET_SEALS = 1034;
    public static final int FD_CLOEXEC = 1;
    public static final int F_SEAL_SEAL = 0x1;
    public static final int F_SEAL_SHRINK = 0x2;
    public static final int F_SEAL_GROW = 0x4;
    public static final int F_SEAL_WRITE = 0x8;
    public static final int O_ACCMODE = 0x3;
    public static final int O_RDONLY = 0x0;
    public static final int O_WRONLY = 0x1;
    public static final int O_RDWR = 0x2;
    public static final int O_NONBLOCK = 0x800;
    // mmap
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x1;
    // lseek
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    // sockets
    public static final int AF_UNIX = 1;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_TYPE = 3;
    public static final int SO_PEERCRED = 17;
    public static final int SO_DOMAIN = 39;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SCM_RIGHTS = 1;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    public static final int MSG_CTRUNC = 0x8;
    // poll
    public static final short POLLIN = 0x1;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    // file types (st_mode)
    public static final int S_IFMT = 0xF000;
    public static final int S_IFREG = 0x8000;
    public static final int S_IFSOCK = 0xC000;

    // x86-64 system call numbers
    public static final long SYS_PIDFD_OPEN = 434;

    // resource limits
    public static final int RLIMIT_NOFILE = 7;

    /** Most descriptors one SCM_RIGHTS message may carry (the kernel's SCM_MAX_FD). */
    public static final int SCM_MAX_FD = 253;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle MEMFD_CREATE = bind("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = bind("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle FSTAT = bind("fstat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle FCNTL = bind("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle DUP = bind("dup", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle LSEEK = bind("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = bind("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = bind("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = bind("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDMSG = bind("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = bind("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle GETRLIMIT = bind("getrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SETRLIMIT = bind("setrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    /** syscall(number, a, b): for the calls older C libraries have no wrapper for (pidfd_open). */
    private static final MethodHandle SYSCALL2 = bind("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle GETUID = LINKER.downcallHandle(find("getuid"), FunctionDescriptor.of(JAVA_INT));

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(find(name), descriptor, options);
    }

    private static MemorySegment find(String name) {
        return LIBC.find(name).orElseThrow(() -> new LiveUpdateException(Errno.ENOSYS,
                "the C library has no " + name + "(): luo4j needs Linux with glibc 2.27 or newer"));
    }

    /**
     * Each thread's memory for its calls: the captured errno and a scratch area for arguments
     * (paths, struct stat, socket options), reset at every call. System calls never call back into
     * Java, so a thread has one call at a time, and nothing is allocated per call.
     */
    private static final class Frame implements SegmentAllocator {
        private static final ThreadLocal<Frame> FRAMES = ThreadLocal.withInitial(Frame::new);
        private static final long SCRATCH = 4096;
        final MemorySegment state;
        private final MemorySegment scratch;
        private long used;

        private Frame() {
            Arena arena = Arena.ofAuto();
            state = arena.allocate(CALL_STATE);
            scratch = arena.allocate(SCRATCH, 16);
        }

        static Frame next() {
            Frame frame = FRAMES.get();
            frame.used = 0;
            return frame;
        }

        @Override
        public MemorySegment allocate(long size, long alignment) {
            long start = (used + alignment - 1) & -alignment;
            if (start + size > SCRATCH) {
                return Arena.ofAuto().allocate(size, alignment);
            }
            used = start + size;
            return scratch.asSlice(start, size, alignment).fill((byte) 0);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** The failure of {@code call}, whose errno is in {@code state}. */
    static LiveUpdateException failure(String call, int errno) {
        Errno reason = Errno.orEio(errno);
        String text = reason == Errno.EIO && errno != Errno.EIO.number() ? "errno " + errno : reason.description();
        return new LiveUpdateException(reason, call + " failed: " + text);
    }

    /** A downcall that returns a C {@code int}; it gets the thread's frame for errno and scratch memory. */
    @FunctionalInterface
    private interface IntCall {
        int invoke(Frame frame) throws Throwable;
    }

    /** A downcall that returns a C {@code long} or {@code ssize_t}. */
    @FunctionalInterface
    private interface LongCall {
        long invoke(Frame frame) throws Throwable;
    }

    /**
     * Runs one system call the way every wrapper here does: a fresh frame, the call, a negative
     * result turned into the errno's {@link LiveUpdateException} naming {@code call} (described
     * only on failure, so the happy path builds no string).
     */
    private static int call(IntCall body, CallName call) {
        return call(Frame.next(), body, call);
    }

    /** As {@link #call(IntCall, CallName)}, in a frame the caller took to allocate arguments first. */
    private static int call(Frame frame, IntCall body, CallName call) {
        int result;
        try {
            result = body.invoke(frame);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (result < 0) {
            throw failure(call.describe(), errno(frame.state));
        }
        return result;
    }

    private static long callLong(LongCall body, CallName call) {
        Frame frame = Frame.next();
        long result;
        try {
            result = body.invoke(frame);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (result < 0) {
            throw failure(call.describe(), errno(frame.state));
        }
        return result;
    }

    /** How a failed call is named in its error message; built only when the call failed. */
    @FunctionalInterface
    private interface CallName {
        String describe();
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    // ------------------------------------------------------------------ files and memory

    /** memfd_create(name, flags): a new anonymous memory file. */
    public static int memfdCreate(String name, int flags) {
        return call(f -> (int) MEMFD_CREATE.invokeExact(f.state, f.allocateFrom(name), flags), () -> "memfd_create(" + name + ")");
    }

    public static void ftruncate(int fd, long length) {
        call(f -> (int) FTRUNCATE.invokeExact(f.state, fd, length), () -> "ftruncate(" + fd + ", " + length + ")");
    }

    /** fstat(fd): the fields luo4j uses. */
    public static Stat fstat(int fd) {
        Frame frame = Frame.next();
        MemorySegment buf = frame.allocate(Stat.SIZE, 8);
        call(frame, f -> (int) FSTAT.invokeExact(f.state, fd, buf), () -> "fstat(" + fd + ")");
        return Stat.of(buf);
    }

    /** mmap(NULL, length, prot, flags, fd, 0): the address of the new mapping. */
    public static long mmap(long length, int prot, int flags, int fd) {
        // MAP_FAILED is (void *) -1: negative as a signed address, like every other failure here
        return callLong(f -> ((MemorySegment) MMAP.invokeExact(f.state, MemorySegment.NULL, length, prot, flags, fd, 0L)).address(),
                () -> "mmap(" + length + " bytes of fd " + fd + ")");
    }

    public static void munmap(long address, long length) {
        call(f -> (int) MUNMAP.invokeExact(f.state, MemorySegment.ofAddress(address), length), () -> "munmap");
    }

    /** fcntl(fd, cmd, arg). */
    public static int fcntl(int fd, int cmd, int arg) {
        return call(f -> (int) FCNTL.invokeExact(f.state, fd, cmd, arg), () -> "fcntl(" + fd + ", " + cmd + ")");
    }

    /** A duplicate of {@code fd} with close-on-exec set (F_DUPFD_CLOEXEC), so it never leaks into a child. */
    public static int dupCloexec(int fd) {
        return fcntl(fd, F_DUPFD_CLOEXEC, 0);
    }

    public static int dup(int fd) {
        return call(f -> (int) DUP.invokeExact(f.state, fd), () -> "dup(" + fd + ")");
    }

    public static void close(int fd) {
        call(f -> (int) CLOSE.invokeExact(f.state, fd), () -> "close(" + fd + ")");
    }

    /** Whether {@code fd} is an open descriptor of this process. */
    public static boolean isOpen(int fd) {
        try {
            return (int) FCNTL.invokeExact(Frame.next().state, fd, F_GETFD, 0) >= 0;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    public static long lseek(int fd, long offset, int whence) {
        return callLong(f -> (long) LSEEK.invokeExact(f.state, fd, offset, whence), () -> "lseek(" + fd + ")");
    }

    /** getrlimit(resource): {soft, hard}. */
    public static long[] getrlimit(int resource) {
        Frame frame = Frame.next();
        MemorySegment limit = frame.allocate(16, 8);
        call(frame, f -> (int) GETRLIMIT.invokeExact(f.state, resource, limit), () -> "getrlimit(" + resource + ")");
        return new long[] {limit.get(JAVA_LONG, 0), limit.get(JAVA_LONG, 8)};
    }

    /** setrlimit(resource, {soft, hard}). */
    public static void setrlimit(int resource, long soft, long hard) {
        Frame frame = Frame.next();
        MemorySegment limit = frame.allocate(16, 8);
        limit.set(JAVA_LONG, 0, soft);
        limit.set(JAVA_LONG, 8, hard);
        call(frame, f -> (int) SETRLIMIT.invokeExact(f.state, resource, limit),
                () -> "setrlimit(" + resource + ", " + soft + ", " + hard + ")");
    }

    /**
     * pidfd_open(pid, 0): a descriptor that becomes readable (POLLIN) when process {@code pid} exits,
     * whether or not anyone has reaped it yet, and that keeps naming that process even if its number
     * is reused. Close-on-exec.
     *
     * @throws LiveUpdateException ESRCH when there is no such process (it may have been reaped)
     */
    public static int pidfdOpen(long pid) {
        return (int) callLong(f -> (long) SYSCALL2.invokeExact(f.state, SYS_PIDFD_OPEN, pid, 0L), () -> "pidfd_open(" + pid + ")");
    }

    public static int getuid() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ------------------------------------------------------------------ sockets

    public static int socket(int domain, int type, int protocol) {
        return call(f -> (int) SOCKET.invokeExact(f.state, domain, type, protocol), () -> "socket");
    }

    /** bind(fd, &sockaddr_un{path}). */
    public static void bindUnix(int fd, String path) {
        Frame frame = Frame.next();
        MemorySegment address = SockaddrUn.of(frame, path);
        call(frame, f -> (int) BIND.invokeExact(f.state, fd, address, (int) address.byteSize()), () -> "bind(" + path + ")");
    }

    /** connect(fd, &sockaddr_un{path}). */
    public static void connectUnix(int fd, String path) {
        Frame frame = Frame.next();
        MemorySegment address = SockaddrUn.of(frame, path);
        call(frame, f -> (int) CONNECT.invokeExact(f.state, fd, address, (int) address.byteSize()), () -> "connect(" + path + ")");
    }

    public static void listen(int fd, int backlog) {
        call(f -> (int) LISTEN.invokeExact(f.state, fd, backlog), () -> "listen(" + fd + ")");
    }

    /** accept4(fd, NULL, NULL, flags). */
    public static int accept(int fd, int flags) {
        return call(f -> (int) ACCEPT4.invokeExact(f.state, fd, MemorySegment.NULL, MemorySegment.NULL, flags),
                () -> "accept4(" + fd + ")");
    }

    /** getsockopt(fd, level, option) of an int option. */
    public static int getsockoptInt(int fd, int level, int option) {
        Frame frame = Frame.next();
        MemorySegment value = frame.allocate(JAVA_INT);
        MemorySegment length = frame.allocateFrom(JAVA_INT, 4);
        call(frame, f -> (int) GETSOCKOPT.invokeExact(f.state, fd, level, option, value, length),
                () -> "getsockopt(" + fd + ", " + option + ")");
        return value.get(JAVA_INT, 0);
    }

    /** The credentials of the process at the other end of a Unix socket (SO_PEERCRED). */
    public static PeerCredentials peerCredentials(int fd) {
        Frame frame = Frame.next();
        MemorySegment cred = frame.allocate(12, 4);
        MemorySegment length = frame.allocateFrom(JAVA_INT, 12);
        call(frame, f -> (int) GETSOCKOPT.invokeExact(f.state, fd, SOL_SOCKET, SO_PEERCRED, cred, length),
                () -> "getsockopt(SO_PEERCRED)");
        return new PeerCredentials(cred.get(JAVA_INT, 0), cred.get(JAVA_INT, 4), cred.get(JAVA_INT, 8));
    }

    /** sendmsg(fd, msg, flags); {@code msg} is a prepared msghdr. */
    static long sendmsg(int fd, MemorySegment msg, int flags) {
        return callLong(f -> (long) SENDMSG.invokeExact(f.state, fd, msg, flags), () -> "sendmsg(" + fd + ")");
    }

    /** recvmsg(fd, msg, flags); {@code msg} is a prepared msghdr. */
    static long recvmsg(int fd, MemorySegment msg, int flags) {
        return callLong(f -> (long) RECVMSG.invokeExact(f.state, fd, msg, flags), () -> "recvmsg(" + fd + ")");
    }

    /** poll() on one descriptor for input: the returned events, or 0 on timeout. EINTR is retried. */
    public static int pollIn(int fd, int timeoutMillis) {
        Frame frame = Frame.next();
        MemorySegment pollfd = frame.allocate(8, 4);
        while (true) {
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, POLLIN);
            pollfd.set(JAVA_SHORT, 6, (short) 0);
            int n;
            try {
                n = (int) POLL.invokeExact(frame.state, pollfd, 1L, timeoutMillis);
            } catch (Throwable t) {
                throw unexpected(t);
            }
            if (n >= 0) {
                return n == 0 ? 0 : pollfd.get(JAVA_SHORT, 6);
            }
            int errno = errno(frame.state);
            if (errno != Errno.EINTR.number()) {
                throw failure("poll(" + fd + ")", errno);
            }
        }
    }
}
