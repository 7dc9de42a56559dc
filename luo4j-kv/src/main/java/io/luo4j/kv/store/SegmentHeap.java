package io.luo4j.kv.store;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.Memfd;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Memory for the store, in memfd segments of 64 MiB, added as it grows. Everything the store
 * knows (allocator state, free lists, where the index is) lives in the first page of segment 0, so
 * a successor that maps the same segments {@linkplain #attach attaches} and carries on: nothing is
 * serialized, copied or reloaded.
 *
 * <p>An address is {@code segment << 26 | offset}; 0 is null (segment 0 starts with the header).
 * Blocks come in size classes (four per power of two, so at most 25% waste) from 16 bytes to 32
 * MiB; each has an 8-byte header holding its class; freed blocks go on a free list per class.
 * Not thread-safe: the server's one event-loop thread owns it.
 */
public final class SegmentHeap {
    static final int SEGMENT_BITS = 26;
    public static final long SEGMENT_SIZE = 1L << SEGMENT_BITS;
    private static final long OFFSET_MASK = SEGMENT_SIZE - 1;
    static final long MAGIC = 0x4c554f344b564831L; // "LUO4KVH1"
    private static final long HEADER_SIZE = 4096;
    static final long MAX_BLOCK = 32L << 20;

    // header fields in segment 0
    private static final long H_MAGIC = 0;
    private static final long H_SEGMENTS = 8;
    private static final long H_BUMP_SEGMENT = 16;
    private static final long H_BUMP_OFFSET = 24;
    private static final long H_ROOT = 32;
    private static final long H_USED = 40;
    private static final long H_FREE_LISTS = 64;

    private static final long[] CLASS_SIZES = sizeClasses();

    private final String name;
    private final long maxSegments;
    private final List<Memfd> segments;
    private final List<MemorySegment> memory = new ArrayList<>();
    private final Consumer<Memfd> onNewSegment;
    private MemorySegment header;

    private SegmentHeap(String name, long maxBytes, List<Memfd> segments, Consumer<Memfd> onNewSegment) {
        this.name = name;
        this.maxSegments = Math.max(1, maxBytes / SEGMENT_SIZE);
        this.segments = segments;
        this.onNewSegment = onNewSegment;
        for (Memfd segment : segments) {
            memory.add(segment.segment());
        }
    }

    /**
     * A new, empty heap of at most {@code maxBytes}; {@code onNewSegment} is told of every segment
     * created, this first one included, so it can be preserved.
     */
    public static SegmentHeap create(String name, long maxBytes, Consumer<Memfd> onNewSegment) {
        SegmentHeap heap = new SegmentHeap(name, maxBytes, new ArrayList<>(), onNewSegment);
        heap.addSegment();
        heap.header = heap.memory.get(0);
        heap.header.set(ValueLayout.JAVA_LONG, H_MAGIC, MAGIC);
        heap.header.set(ValueLayout.JAVA_LONG, H_BUMP_SEGMENT, 0);
        heap.header.set(ValueLayout.JAVA_LONG, H_BUMP_OFFSET, HEADER_SIZE);
        return heap;
    }

    /** The heap in {@code segments} (in order), as a predecessor left it. */
    public static SegmentHeap attach(String name, long maxBytes, List<Memfd> segments, Consumer<Memfd> onNewSegment) {
        if (segments.isEmpty() || segments.get(0).size() != SEGMENT_SIZE
                || segments.get(0).segment().get(ValueLayout.JAVA_LONG, H_MAGIC) != MAGIC) {
            throw new LiveUpdateException(Errno.EBADMSG, "the memfds handed over are not a luo4j kv heap");
        }
        SegmentHeap heap = new SegmentHeap(name, maxBytes, new ArrayList<>(segments), onNewSegment);
        heap.header = heap.memory.get(0);
        long recorded = heap.header.get(ValueLayout.JAVA_LONG, H_SEGMENTS);
        if (recorded != segments.size()) {
            throw new LiveUpdateException(Errno.EBADMSG, "the kv heap has " + recorded + " segments but " + segments.size() + " arrived");
        }
        return heap;
    }

    private void addSegment() {
        if (segments.size() >= maxSegments) {
            throw new LiveUpdateException(Errno.ENOMEM, "the store is full: " + segments.size() * (SEGMENT_SIZE >> 20)
                    + " MiB used of its limit; restart it with a larger --memory, or delete keys");
        }
        Memfd segment = Memfd.create(name + "-" + segments.size(), SEGMENT_SIZE);
        segments.add(segment);
        memory.add(segment.segment());
        if (header != null) {
            header.set(ValueLayout.JAVA_LONG, H_SEGMENTS, segments.size());
        } else {
            segment.segment().set(ValueLayout.JAVA_LONG, H_SEGMENTS, 1);
        }
        onNewSegment.accept(segment);
    }

    /** A block of at least {@code size} bytes (content undefined); ENOMEM when full, E2BIG over 32 MiB. */
    public long allocate(long size) {
        int sizeClass = classOf(size + 8);
        long head = header.get(ValueLayout.JAVA_LONG, H_FREE_LISTS + 8L * sizeClass);
        long block;
        if (head != 0) {
            block = head;
            header.set(ValueLayout.JAVA_LONG, H_FREE_LISTS + 8L * sizeClass, getLong(block + 8));
        } else {
            block = bump(CLASS_SIZES[sizeClass]);
        }
        setLong(block, sizeClass);
        header.set(ValueLayout.JAVA_LONG, H_USED, used() + CLASS_SIZES[sizeClass]);
        return block + 8;
    }

    /** Gives back a block from {@link #allocate}. */
    public void free(long address) {
        long block = address - 8;
        int sizeClass = (int) getLong(block);
        setLong(block + 8, header.get(ValueLayout.JAVA_LONG, H_FREE_LISTS + 8L * sizeClass));
        header.set(ValueLayout.JAVA_LONG, H_FREE_LISTS + 8L * sizeClass, block);
        header.set(ValueLayout.JAVA_LONG, H_USED, used() - CLASS_SIZES[sizeClass]);
    }

    /** The usable size of a block from {@link #allocate}. */
    public long capacity(long address) {
        return CLASS_SIZES[(int) getLong(address - 8)] - 8;
    }

    private long bump(long size) {
        long segment = header.get(ValueLayout.JAVA_LONG, H_BUMP_SEGMENT);
        long offset = header.get(ValueLayout.JAVA_LONG, H_BUMP_OFFSET);
        if (offset + size > SEGMENT_SIZE) {
            addSegment();
            segment = segments.size() - 1;
            offset = 0;
        }
        header.set(ValueLayout.JAVA_LONG, H_BUMP_SEGMENT, segment);
        header.set(ValueLayout.JAVA_LONG, H_BUMP_OFFSET, offset + size);
        return (segment << SEGMENT_BITS) | offset;
    }

    /** The address of the store's root object (set once by the store), or 0. */
    public long root() {
        return header.get(ValueLayout.JAVA_LONG, H_ROOT);
    }

    public void setRoot(long address) {
        header.set(ValueLayout.JAVA_LONG, H_ROOT, address);
    }

    /** Bytes in allocated blocks. */
    public long used() {
        return header.get(ValueLayout.JAVA_LONG, H_USED);
    }

    /** Bytes of memfd behind the heap. */
    public long mapped() {
        return segments.size() * SEGMENT_SIZE;
    }

    public List<Memfd> segments() {
        return List.copyOf(segments);
    }

    /**
     * A checksum of every byte of every segment (a CRC32C of the segments' CRC32Cs, in order): a
     * full read of the heap, and a fingerprint that is the same wherever the same bytes are.
     */
    public long checksum() {
        java.util.zip.CRC32C combined = new java.util.zip.CRC32C();
        for (Memfd segment : segments) {
            long crc = segment.checksum();
            for (int shift = 0; shift < 32; shift += 8) {
                combined.update((int) (crc >>> shift));
            }
        }
        return combined.getValue();
    }

    // ---------------------------------------------------------------- access

    MemorySegment memoryAt(long address) {
        return memory.get((int) (address >>> SEGMENT_BITS));
    }

    static long offset(long address) {
        return address & OFFSET_MASK;
    }

    public long getLong(long address) {
        return memoryAt(address).get(ValueLayout.JAVA_LONG_UNALIGNED, offset(address));
    }

    public void setLong(long address, long value) {
        memoryAt(address).set(ValueLayout.JAVA_LONG_UNALIGNED, offset(address), value);
    }

    public int getInt(long address) {
        return memoryAt(address).get(ValueLayout.JAVA_INT_UNALIGNED, offset(address));
    }

    public void setInt(long address, int value) {
        memoryAt(address).set(ValueLayout.JAVA_INT_UNALIGNED, offset(address), value);
    }

    public byte getByte(long address) {
        return memoryAt(address).get(ValueLayout.JAVA_BYTE, offset(address));
    }

    public void setByte(long address, byte value) {
        memoryAt(address).set(ValueLayout.JAVA_BYTE, offset(address), value);
    }

    /** The bytes at {@code address} as a segment (valid while the heap lives). */
    public MemorySegment slice(long address, long length) {
        return memoryAt(address).asSlice(offset(address), length);
    }

    public void write(long address, byte[] bytes) {
        MemorySegment.copy(bytes, 0, memoryAt(address), ValueLayout.JAVA_BYTE, offset(address), bytes.length);
    }

    public byte[] read(long address, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(memoryAt(address), ValueLayout.JAVA_BYTE, offset(address), bytes, 0, length);
        return bytes;
    }

    /** Whether the {@code length} bytes at {@code address} equal {@code bytes}. */
    public boolean equalsBytes(long address, byte[] bytes) {
        return MemorySegment.mismatch(memoryAt(address), offset(address), offset(address) + bytes.length,
                MemorySegment.ofArray(bytes), 0, bytes.length) == -1;
    }

    // ---------------------------------------------------------------- size classes

    /** 16, 24, 32 then four classes per power of two up to 32 MiB. */
    private static long[] sizeClasses() {
        List<Long> sizes = new ArrayList<>(List.of(16L, 24L, 32L, 40L, 48L, 56L));
        for (long base = 64; base <= MAX_BLOCK; base <<= 1) {
            for (int quarter = 0; quarter < 4 && base + quarter * (base / 4) <= MAX_BLOCK; quarter++) {
                sizes.add(base + quarter * (base / 4));
            }
        }
        return sizes.stream().mapToLong(Long::longValue).toArray();
    }

    static int classOf(long size) {
        if (size > MAX_BLOCK) {
            throw new LiveUpdateException(Errno.E2BIG, "a value of " + size + " bytes is larger than the store's blocks ("
                    + MAX_BLOCK + "): store it in parts");
        }
        int low = 0;
        int high = CLASS_SIZES.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (CLASS_SIZES[mid] >= size) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    static int classCount() {
        return CLASS_SIZES.length;
    }
}
