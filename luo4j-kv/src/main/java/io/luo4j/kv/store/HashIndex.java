package io.luo4j.kv.store;

import java.util.function.LongConsumer;

/**
 * The store's key index, in the heap: open addressing with linear probing and backward-shift
 * deletion, slots of (hash, entry address). The table is split in chunks of at most 2^20 slots
 * (16 MiB, under the heap's largest block) listed in a directory block; it doubles when 70% full.
 *
 * <pre>
 * directory: capacity u64 | count u64 | chunk bits u64 | chunk count u64 | chunk addresses u64...
 * slot:      hash u64 (0 = empty) | entry address u64
 * </pre>
 */
final class HashIndex {
    private static final int INITIAL_BITS = 12;
    private static final int MAX_CHUNK_BITS = 20;
    private static final long D_CAPACITY = 0;
    private static final long D_COUNT = 8;
    private static final long D_CHUNK_BITS = 16;
    private static final long D_CHUNKS = 24;
    private static final long D_CHUNK_TABLE = 32;

    /** Decides whether a slot's entry holds the key being looked for. */
    @FunctionalInterface
    interface KeyMatch {
        boolean matches(long entry);
    }

    private final SegmentHeap heap;
    private long directory;
    // cached from the directory
    private long capacity;
    private long mask;
    private int chunkBits;
    private long[] chunks;

    private HashIndex(SegmentHeap heap, long directory) {
        this.heap = heap;
        load(directory);
    }

    /** A new, empty index, recorded as the heap's root. */
    static HashIndex create(SegmentHeap heap) {
        long directory = newTable(heap, 1L << INITIAL_BITS);
        heap.setRoot(directory);
        return new HashIndex(heap, directory);
    }

    /** The index recorded as the heap's root. */
    static HashIndex attach(SegmentHeap heap) {
        return new HashIndex(heap, heap.root());
    }

    long count() {
        return heap.getLong(directory + D_COUNT);
    }

    private void load(long dir) {
        directory = dir;
        capacity = heap.getLong(dir + D_CAPACITY);
        mask = capacity - 1;
        chunkBits = (int) heap.getLong(dir + D_CHUNK_BITS);
        chunks = new long[(int) heap.getLong(dir + D_CHUNKS)];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = heap.getLong(dir + D_CHUNK_TABLE + 8L * i);
        }
    }

    private static long newTable(SegmentHeap heap, long capacity) {
        int bits = Long.numberOfTrailingZeros(capacity);
        int chunkBits = Math.min(bits, MAX_CHUNK_BITS);
        int chunkCount = (int) (capacity >>> chunkBits);
        long dir = heap.allocate(D_CHUNK_TABLE + 8L * chunkCount);
        heap.setLong(dir + D_CAPACITY, capacity);
        heap.setLong(dir + D_COUNT, 0);
        heap.setLong(dir + D_CHUNK_BITS, chunkBits);
        heap.setLong(dir + D_CHUNKS, chunkCount);
        long chunkBytes = 16L << chunkBits;
        for (int i = 0; i < chunkCount; i++) {
            long chunk = heap.allocate(chunkBytes);
            heap.slice(chunk, chunkBytes).fill((byte) 0);
            heap.setLong(dir + D_CHUNK_TABLE + 8L * i, chunk);
        }
        return dir;
    }

    private long slotAddress(long slot) {
        return chunks[(int) (slot >>> chunkBits)] + ((slot & ((1L << chunkBits) - 1)) << 4);
    }

    /** The entry whose key matches, or 0. */
    long find(long hash, KeyMatch match) {
        for (long slot = hash & mask; ; slot = (slot + 1) & mask) {
            long address = slotAddress(slot);
            long stored = heap.getLong(address);
            if (stored == 0) {
                return 0;
            }
            if (stored == hash && match.matches(heap.getLong(address + 8))) {
                return heap.getLong(address + 8);
            }
        }
    }

    /** Replaces the entry of a key that is present; returns the old entry. */
    long replace(long hash, KeyMatch match, long entry) {
        for (long slot = hash & mask; ; slot = (slot + 1) & mask) {
            long address = slotAddress(slot);
            long stored = heap.getLong(address);
            if (stored == 0) {
                throw new IllegalStateException("replace of a key that is not indexed");
            }
            if (stored == hash && match.matches(heap.getLong(address + 8))) {
                long old = heap.getLong(address + 8);
                heap.setLong(address + 8, entry);
                return old;
            }
        }
    }

    /** Adds an entry for a key that is not present. */
    void insert(long hash, long entry) {
        if ((count() + 1) * 10 > capacity * 7) {
            grow();
        }
        place(hash, entry);
        heap.setLong(directory + D_COUNT, count() + 1);
    }

    private void place(long hash, long entry) {
        for (long slot = hash & mask; ; slot = (slot + 1) & mask) {
            long address = slotAddress(slot);
            if (heap.getLong(address) == 0) {
                heap.setLong(address, hash);
                heap.setLong(address + 8, entry);
                return;
            }
        }
    }

    /** Removes the entry whose key matches; returns it, or 0. */
    long remove(long hash, KeyMatch match) {
        long slot = hash & mask;
        while (true) {
            long address = slotAddress(slot);
            long stored = heap.getLong(address);
            if (stored == 0) {
                return 0;
            }
            if (stored == hash && match.matches(heap.getLong(address + 8))) {
                long entry = heap.getLong(address + 8);
                shiftBack(slot);
                heap.setLong(directory + D_COUNT, count() - 1);
                return entry;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Backward-shift deletion: moves later members of the probe run into the hole. */
    private void shiftBack(long hole) {
        long next = (hole + 1) & mask;
        while (true) {
            long address = slotAddress(next);
            long hash = heap.getLong(address);
            if (hash == 0) {
                break;
            }
            long home = hash & mask;
            boolean movable = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (movable) {
                long holeAddress = slotAddress(hole);
                heap.setLong(holeAddress, hash);
                heap.setLong(holeAddress + 8, heap.getLong(address + 8));
                hole = next;
            }
            next = (next + 1) & mask;
        }
        long holeAddress = slotAddress(hole);
        heap.setLong(holeAddress, 0);
        heap.setLong(holeAddress + 8, 0);
    }

    private void grow() {
        long oldDirectory = directory;
        long oldCapacity = capacity;
        long[] oldChunks = chunks;
        int oldChunkBits = chunkBits;
        long count = count();
        load(newTable(heap, oldCapacity * 2));
        heap.setRoot(directory);
        for (long slot = 0; slot < oldCapacity; slot++) {
            long address = oldChunks[(int) (slot >>> oldChunkBits)] + ((slot & ((1L << oldChunkBits) - 1)) << 4);
            long hash = heap.getLong(address);
            if (hash != 0) {
                place(hash, heap.getLong(address + 8));
            }
        }
        heap.setLong(directory + D_COUNT, count);
        for (long chunk : oldChunks) {
            heap.free(chunk);
        }
        heap.free(oldDirectory); // the same as free() for the old table, whose fields load() replaced
    }

    /** Gives the table's memory back (its entries are the caller's). */
    void free() {
        for (long chunk : chunks) {
            heap.free(chunk);
        }
        heap.free(directory);
    }

    /** Calls {@code visitor} with every entry address. */
    void forEach(LongConsumer visitor) {
        for (long slot = 0; slot < capacity; slot++) {
            long address = slotAddress(slot);
            if (heap.getLong(address) != 0) {
                visitor.accept(heap.getLong(address + 8));
            }
        }
    }
}
