package io.luo4j.kv.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A list in the heap: a header (head, tail, length) and a node per element (prev, next, length,
 * bytes). Push and pop at either end are O(1); a range walks from the head.
 */
final class ListValue {
    private static final long HEAD = 0;
    private static final long TAIL = 8;
    private static final long LENGTH = 16;
    private static final long PREV = 0;
    private static final long NEXT = 8;
    private static final long SIZE = 16;
    private static final long DATA = 20;

    private final SegmentHeap heap;

    ListValue(SegmentHeap heap) {
        this.heap = heap;
    }

    long create() {
        long list = heap.allocate(24);
        heap.setLong(list + HEAD, 0);
        heap.setLong(list + TAIL, 0);
        heap.setLong(list + LENGTH, 0);
        return list;
    }

    long length(long list) {
        return heap.getLong(list + LENGTH);
    }

    long push(long list, byte[] value, boolean left) {
        long node = heap.allocate(DATA + value.length);
        heap.setInt(node + SIZE, value.length);
        heap.write(node + DATA, value);
        long head = heap.getLong(list + HEAD);
        long tail = heap.getLong(list + TAIL);
        if (left) {
            heap.setLong(node + PREV, 0);
            heap.setLong(node + NEXT, head);
            if (head != 0) {
                heap.setLong(head + PREV, node);
            } else {
                heap.setLong(list + TAIL, node);
            }
            heap.setLong(list + HEAD, node);
        } else {
            heap.setLong(node + NEXT, 0);
            heap.setLong(node + PREV, tail);
            if (tail != 0) {
                heap.setLong(tail + NEXT, node);
            } else {
                heap.setLong(list + HEAD, node);
            }
            heap.setLong(list + TAIL, node);
        }
        long length = length(list) + 1;
        heap.setLong(list + LENGTH, length);
        return length;
    }

    /** Removes and returns the first (left) or last element; null when empty. */
    byte[] pop(long list, boolean left) {
        long node = heap.getLong(list + (left ? HEAD : TAIL));
        if (node == 0) {
            return null;
        }
        long neighbour = heap.getLong(node + (left ? NEXT : PREV));
        heap.setLong(list + (left ? HEAD : TAIL), neighbour);
        if (neighbour != 0) {
            heap.setLong(neighbour + (left ? PREV : NEXT), 0);
        } else {
            heap.setLong(list + (left ? TAIL : HEAD), 0);
        }
        heap.setLong(list + LENGTH, length(list) - 1);
        byte[] value = heap.read(node + DATA, heap.getInt(node + SIZE));
        heap.free(node);
        return value;
    }

    /** Elements {@code start..stop}, inclusive, negative counting from the end, as LRANGE. */
    List<byte[]> range(long list, long start, long stop) {
        long length = length(list);
        long from = start < 0 ? Math.max(0, length + start) : start;
        long to = stop < 0 ? length + stop : Math.min(stop, length - 1);
        List<byte[]> values = new ArrayList<>();
        long node = heap.getLong(list + HEAD);
        for (long i = 0; node != 0 && i <= to; i++) {
            if (i >= from) {
                values.add(heap.read(node + DATA, heap.getInt(node + SIZE)));
            }
            node = heap.getLong(node + NEXT);
        }
        return values;
    }

    void free(long list) {
        long node = heap.getLong(list + HEAD);
        while (node != 0) {
            long next = heap.getLong(node + NEXT);
            heap.free(node);
            node = next;
        }
        heap.free(list);
    }
}
