package io.luo4j.linux;

import java.lang.foreign.MemorySegment;

/**
 * A page-aligned part of a {@link MemoryArena}. Preserve it like any file; in the successor it
 * comes back as the same bytes of the same arena.
 */
public final class ArenaRegion {
    private final MemoryArena arena;
    private final long offset;
    private final long length;

    ArenaRegion(MemoryArena arena, long offset, long length) {
        this.arena = arena;
        this.offset = offset;
        this.length = length;
    }

    /** The region's memory. */
    public MemorySegment segment() {
        return arena.slice(offset, length);
    }

    public MemoryArena arena() {
        return arena;
    }

    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }

    @Override
    public String toString() {
        return "ArenaRegion[" + arena.memfd().name() + " " + offset + "+" + length + "]";
    }
}
