package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.FileIdentity;
import io.luo4j.linux.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;

/**
 * A memfd: anonymous shared memory with a descriptor, mapped into this process as a
 * {@link MemorySegment}. Preserved by the built-in {@code memfd-v1} handler, it reaches the
 * successor as the same pages: the successor maps the same file again, nothing is copied, so a
 * gigabyte hands over as fast as a kilobyte.
 *
 * <p>While a memfd is preserved its size is frozen (as the kernel freezes a preserved memfd's
 * inode): {@link #resize} and writes past the end fail with EPERM; writes within the size work,
 * through the segment or through {@link #write}. Unpreserving it, or finishing it in the successor,
 * thaws it.
 *
 * <p>The segment is valid until the memfd is closed or resized; using it afterwards throws
 * {@link IllegalStateException}, never touches unmapped memory.
 */
public final class Memfd implements Channel {
    private final String name;
    private final int fd;
    private final FileIdentity identity;
    private Arena mapping;
    private MemorySegment segment;
    private long size;
    private boolean sizeFrozen;
    private boolean open = true;

    private Memfd(String name, int fd, long size) {
        this.name = name;
        this.fd = fd;
        this.identity = FileIdentity.of(fd);
        map(size);
    }

    /**
     * A new memfd of {@code size} bytes (zero-filled), close-on-exec, with sealing allowed.
     *
     * @throws LiveUpdateException ENOMEM, EMFILE, EINVAL from the kernel
     */
    public static Memfd create(String name, long size) {
        if (size < 0) {
            throw new LiveUpdateException(Errno.EINVAL, "a memfd cannot have a negative size: " + size);
        }
        int fd = Libc.memfdCreate(name, Libc.MFD_CLOEXEC | Libc.MFD_ALLOW_SEALING);
        try {
            Libc.ftruncate(fd, size);
            return new Memfd(name, fd, size);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Takes over {@code fd}, an open memfd (or other shared memory file), and maps it at its current size. */
    static Memfd adopt(String name, int fd) {
        return new Memfd(name, fd, Libc.fstat(fd).size());
    }

    private void map(long newSize) {
        Arena arena = Arena.ofShared();
        if (newSize > 0) {
            long address = Libc.mmap(newSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd);
            segment = MemorySegment.ofAddress(address).reinterpret(newSize, arena, s -> Libc.munmap(address, newSize));
        } else {
            segment = arena.allocate(0);
        }
        mapping = arena;
        size = newSize;
    }

    /** The name given at creation (the successor keeps it). */
    public String name() {
        return name;
    }

    /** The whole memory, shared with every process that maps this memfd. */
    public synchronized MemorySegment segment() {
        requireOpen();
        return segment;
    }

    public synchronized long size() {
        return size;
    }

    /**
     * Grows or shrinks the memfd and maps it again; earlier segments become invalid.
     *
     * @throws LiveUpdateException EPERM while the memfd is preserved
     */
    public synchronized void resize(long newSize) {
        requireOpen();
        if (sizeFrozen && newSize != size) {
            throw frozen("resized to " + newSize + " bytes");
        }
        Libc.ftruncate(fd, newSize);
        mapping.close();
        map(newSize);
    }

    /** The file position (shared with every descriptor of this open file, and carried to the successor). */
    public synchronized long position() {
        requireOpen();
        return Libc.lseek(fd, 0, Libc.SEEK_CUR);
    }

    public synchronized void position(long position) {
        requireOpen();
        Libc.lseek(fd, position, Libc.SEEK_SET);
    }

    /**
     * Writes {@code src} at the file position and advances it; grows the memfd when the write runs
     * past the end.
     *
     * @throws LiveUpdateException EPERM when it would grow a preserved memfd
     */
    public synchronized int write(ByteBuffer src) {
        long at = position();
        int length = src.remaining();
        long end = at + length;
        if (end > size) {
            if (sizeFrozen) {
                throw frozen("written up to byte " + end);
            }
            resize(end);
        }
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, segment, at, length);
        src.position(src.position() + length);
        position(end);
        return length;
    }

    /** Reads up to {@code dst.remaining()} bytes at the file position and advances it; -1 at the end. */
    public synchronized int read(ByteBuffer dst) {
        long at = position();
        if (at >= size) {
            return -1;
        }
        int length = (int) Math.min(dst.remaining(), size - at);
        MemorySegment.copy(segment, at, MemorySegment.ofBuffer(dst), 0, length);
        dst.position(dst.position() + length);
        position(at + length);
        return length;
    }

    /** Adds seals (F_SEAL_*); a sealed memfd refuses what its seals forbid, in every process. */
    public synchronized void addSeals(int seals) {
        requireOpen();
        Libc.fcntl(fd, Libc.F_ADD_SEALS, seals);
    }

    public synchronized int seals() {
        requireOpen();
        return Libc.fcntl(fd, Libc.F_GET_SEALS, 0);
    }

    /** The descriptor; it stays owned by this object. */
    public int fd() {
        return fd;
    }

    /**
     * The memfd's inode number: the same in every process that holds this memfd (the successor's
     * retrieved one included), and never shared by two memfds that exist at once.
     */
    public long inode() {
        return identity.inode();
    }

    /** A checksum of the contents (CRC32C over the mapping), to compare across an upgrade. */
    public synchronized long checksum() {
        requireOpen();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        long chunk = 1 << 20;
        for (long at = 0; at < size; at += chunk) {
            crc.update(segment.asSlice(at, Math.min(chunk, size - at)).asByteBuffer());
        }
        return crc.getValue();
    }

    synchronized void freezeSize(boolean frozen) {
        this.sizeFrozen = frozen;
    }

    synchronized boolean sizeFrozen() {
        return sizeFrozen;
    }

    /** Reads a long at {@code offset}; a convenience for small counters in shared memory. */
    public long getLong(long offset) {
        return segment().get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
    }

    /** Writes a long at {@code offset}. */
    public void putLong(long offset, long value) {
        segment().set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    /** Unmaps and closes this process's descriptor; other holders of the memfd keep it. */
    @Override
    public synchronized void close() {
        if (open) {
            open = false;
            mapping.close();
            Libc.close(fd);
        }
    }

    private void requireOpen() {
        if (!open) {
            throw new LiveUpdateException(Errno.EBADF, "memfd \"" + name + "\" is closed");
        }
    }

    private LiveUpdateException frozen(String what) {
        return new LiveUpdateException(Errno.EPERM, "memfd \"" + name + "\" is preserved, so its size is frozen at " + size
                + " bytes and it cannot be " + what + ": write within the size, or close its session first");
    }

    @Override
    public String toString() {
        return "Memfd[" + name + ", fd " + fd + ", " + size + " bytes]";
    }
}
