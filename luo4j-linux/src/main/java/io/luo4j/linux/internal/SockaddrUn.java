package io.luo4j.linux.internal;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** {@code struct sockaddr_un}: family AF_UNIX and a path of at most 107 bytes. */
final class SockaddrUn {
    private static final int PATH_MAX = 108;

    private SockaddrUn() {}

    static MemorySegment of(SegmentAllocator arena, String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= PATH_MAX) {
            throw new LiveUpdateException(Errno.ENAMETOOLONG, "socket path " + path + " is " + bytes.length
                    + " bytes; Unix sockets allow " + (PATH_MAX - 1) + ": use a shorter runtime directory (LUO4J_RUNTIME_DIR)");
        }
        MemorySegment address = arena.allocate(2 + PATH_MAX, 2);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_UNIX);
        MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, 2, bytes.length);
        return address;
    }
}
