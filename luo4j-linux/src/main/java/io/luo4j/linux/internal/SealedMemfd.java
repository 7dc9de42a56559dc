package io.luo4j.linux.internal;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Bytes that travel beside the image in a sealed memfd: written once by the predecessor and sealed
 * against any change (size and contents), then read by the successor through a read-only mapping.
 * The image travels this way when it is too large for a message; so do a connection's large
 * in-flight bytes, which would otherwise swell the image.
 *
 * <p>Unhappy paths: the memfd cannot be created or mapped (the kernel's errno, the descriptor
 * closed); a received memfd whose size is not the one announced is EBADMSG.
 */
public final class SealedMemfd {
    private SealedMemfd() {}

    /** A sealed memfd named {@code name} holding {@code bytes} (from position to limit); the caller owns the descriptor. */
    public static int write(String name, ByteBuffer bytes) {
        int length = bytes.remaining();
        int fd = Libc.memfdCreate(name, Libc.MFD_CLOEXEC | Libc.MFD_ALLOW_SEALING);
        try {
            Libc.ftruncate(fd, length);
            if (length > 0) {
                try (Arena arena = Arena.ofConfined()) {
                    long address = Libc.mmap(length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd);
                    MemorySegment target = MemorySegment.ofAddress(address).reinterpret(length, arena, s -> Libc.munmap(address, length));
                    MemorySegment.copy(MemorySegment.ofBuffer(bytes), 0, target, 0, length);
                }
            }
            Libc.fcntl(fd, Libc.F_ADD_SEALS, Libc.F_SEAL_SHRINK | Libc.F_SEAL_GROW | Libc.F_SEAL_WRITE | Libc.F_SEAL_SEAL);
            return fd;
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * Maps received memfd {@code fd} read-only; the buffer lives as long as {@code arena}.
     *
     * @throws LiveUpdateException EBADMSG when it does not hold exactly {@code length} bytes
     */
    public static ByteBuffer map(int fd, long length, Arena arena) {
        long actual = Libc.fstat(fd).size();
        if (actual != length) {
            throw new LiveUpdateException(Errno.EBADMSG, "a memfd sent beside the image holds " + actual + " bytes, " + length
                    + " were announced");
        }
        if (length == 0) {
            return ByteBuffer.allocate(0);
        }
        long address = Libc.mmap(length, Libc.PROT_READ, Libc.MAP_SHARED, fd);
        return MemorySegment.ofAddress(address).reinterpret(length, arena, s -> Libc.munmap(address, length)).asByteBuffer();
    }

    /** A copy of the {@code length} bytes of received memfd {@code fd} (which stays the caller's). */
    public static byte[] read(int fd, long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new LiveUpdateException(Errno.EFBIG, "a memfd of " + length + " bytes cannot be read into one array");
        }
        try (Arena arena = Arena.ofConfined()) {
            ByteBuffer mapped = map(fd, length, arena);
            byte[] copy = new byte[(int) length];
            mapped.get(copy);
            return copy;
        }
    }
}
