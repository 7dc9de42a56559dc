package io.luo4j.kv.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sets, hashes and sorted sets, packed: one block with a count and (name, value) pairs, each a u32
 * length and its bytes (a set's values are empty; a sorted set's are 8-byte scores). A change
 * writes a new block, so writes are O(n) in the size of the collection, as Redis's own listpacks
 * for small collections.
 */
final class PackValue {
    private final SegmentHeap heap;

    PackValue(SegmentHeap heap) {
        this.heap = heap;
    }

    /** One (name, value) pair. */
    record Pair(byte[] name, byte[] value) {}

    List<Pair> read(long pack) {
        int count = heap.getInt(pack);
        List<Pair> pairs = new ArrayList<>(count);
        long at = pack + 4;
        for (int i = 0; i < count; i++) {
            int nameLength = heap.getInt(at);
            byte[] name = heap.read(at + 4, nameLength);
            at += 4 + nameLength;
            int valueLength = heap.getInt(at);
            byte[] value = heap.read(at + 4, valueLength);
            at += 4 + valueLength;
            pairs.add(new Pair(name, value));
        }
        return pairs;
    }

    int size(long pack) {
        return heap.getInt(pack);
    }

    /** Writes {@code pairs} as a new pack. */
    long write(List<Pair> pairs) {
        long bytes = 4;
        for (Pair pair : pairs) {
            bytes += 8 + pair.name().length + pair.value().length;
        }
        long pack = heap.allocate(bytes);
        heap.setInt(pack, pairs.size());
        long at = pack + 4;
        for (Pair pair : pairs) {
            heap.setInt(at, pair.name().length);
            heap.write(at + 4, pair.name());
            at += 4 + pair.name().length;
            heap.setInt(at, pair.value().length);
            heap.write(at + 4, pair.value());
            at += 4 + pair.value().length;
        }
        return pack;
    }

    static int indexOf(List<Pair> pairs, byte[] name) {
        for (int i = 0; i < pairs.size(); i++) {
            if (Arrays.equals(pairs.get(i).name(), name)) {
                return i;
            }
        }
        return -1;
    }
}
