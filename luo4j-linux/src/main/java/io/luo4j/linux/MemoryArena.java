package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.lang.foreign.MemorySegment;

/**
 * One memfd shared by many regions: the process's arena, carved into page-aligned
 * {@link ArenaRegion}s. Each preserved region is a file of its own (handler {@code arena-region-v1},
 * a few bytes of state), and the arena behind them is their FLB ({@code memfd-arena-v1}): preserved
 * with the first region, handed over once, retrieved in the successor by the first region that
 * asks, finished with the last one. However many regions there are, one descriptor crosses.
 *
 * <p>The allocation pointer lives in the arena's first page, so the successor knows what is used.
 */
public final class MemoryArena implements AutoCloseable {
    static final long HEADER = 4096;
    private static final long ALIGNMENT = 4096;
    private static final long MAGIC = 0x4c554f3441524e41L; // "LUO4ARNA"

    private final Memfd memfd;

    private MemoryArena(Memfd memfd) {
        this.memfd = memfd;
    }

    /** A new arena of {@code size} bytes (the first 4 KiB hold its header). */
    public static MemoryArena create(String name, long size) {
        if (size <= HEADER) {
            throw new LiveUpdateException(Errno.EINVAL, "an arena needs more than " + HEADER + " bytes; got " + size);
        }
        Memfd memfd = Memfd.create(name, size);
        memfd.putLong(0, MAGIC);
        memfd.putLong(8, HEADER);
        return new MemoryArena(memfd);
    }

    /** The arena in a memfd that arrived from the predecessor. */
    static MemoryArena adopt(Memfd memfd) {
        if (memfd.size() <= HEADER || memfd.getLong(0) != MAGIC) {
            memfd.close();
            throw new LiveUpdateException(Errno.EBADMSG, "the received memfd is not a luo4j memory arena");
        }
        return new MemoryArena(memfd);
    }

    /**
     * A new region of {@code size} bytes, page aligned, zero-filled on first use.
     *
     * @throws LiveUpdateException ENOMEM when the arena is full
     */
    public synchronized ArenaRegion allocate(long size) {
        if (size <= 0) {
            throw new LiveUpdateException(Errno.EINVAL, "a region needs a positive size: " + size);
        }
        long offset = memfd.getLong(8);
        long end = offset + ((size + ALIGNMENT - 1) & -ALIGNMENT);
        if (end > memfd.size()) {
            throw new LiveUpdateException(Errno.ENOMEM, "arena \"" + memfd.name() + "\" has " + (memfd.size() - offset)
                    + " bytes left, " + size + " were asked for: create a larger arena");
        }
        memfd.putLong(8, end);
        return new ArenaRegion(this, offset, size);
    }

    /** The region at {@code offset} of {@code length} bytes, as the predecessor allocated it. */
    ArenaRegion region(long offset, long length) {
        if (offset < HEADER || length <= 0 || offset + length > used()) {
            throw new LiveUpdateException(Errno.EBADMSG, "region " + offset + "+" + length + " lies outside what arena \""
                    + memfd.name() + "\" allocated (" + used() + " bytes)");
        }
        return new ArenaRegion(this, offset, length);
    }

    /** Bytes allocated so far, header included. */
    public synchronized long used() {
        return memfd.getLong(8);
    }

    public Memfd memfd() {
        return memfd;
    }

    MemorySegment slice(long offset, long length) {
        return memfd.segment().asSlice(offset, length);
    }

    @Override
    public void close() {
        memfd.close();
    }
}
