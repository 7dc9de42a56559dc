package io.luo4j.linux.handover;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The image's trip: the predecessor writes it into a sealed memfd (so nothing can change it on the
 * way) and sends the descriptor; the successor maps it read-only and reads it in place.
 */
final class ImageMemfd {
    private ImageMemfd() {}

    /** A sealed memfd holding {@code image}. */
    static int write(ByteBuffer image) {
        int length = image.remaining();
        int fd = Libc.memfdCreate("luo4j-image", Libc.MFD_CLOEXEC | Libc.MFD_ALLOW_SEALING);
        try {
            Libc.ftruncate(fd, length);
            if (length > 0) {
                try (Arena arena = Arena.ofConfined()) {
                    long address = Libc.mmap(length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd);
                    MemorySegment target = MemorySegment.ofAddress(address).reinterpret(length, arena, s -> Libc.munmap(address, length));
                    MemorySegment.copy(MemorySegment.ofBuffer(image), 0, target, 0, length);
                }
            }
            Libc.fcntl(fd, Libc.F_ADD_SEALS, Libc.F_SEAL_SHRINK | Libc.F_SEAL_GROW | Libc.F_SEAL_WRITE | Libc.F_SEAL_SEAL);
            return fd;
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Maps the received image memfd read-only; the buffer lives as long as {@code arena}. */
    static ByteBuffer map(int fd, long length, Arena arena) {
        long actual = Libc.fstat(fd).size();
        if (actual != length) {
            throw new LiveUpdateException(Errno.EBADMSG, "the image memfd holds " + actual + " bytes, " + length + " were announced");
        }
        if (length == 0) {
            return ByteBuffer.allocate(0);
        }
        long address = Libc.mmap(length, Libc.PROT_READ, Libc.MAP_SHARED, fd);
        return MemorySegment.ofAddress(address).reinterpret(length, arena, s -> Libc.munmap(address, length)).asByteBuffer();
    }
}
