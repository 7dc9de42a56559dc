package io.luo4j.netty.example;

import io.luo4j.linux.Memfd;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The example's state: a request counter per path, and a count of connections accepted, in one
 * memfd, so it survives a live update as the same pages (no copy, no reload). Any event loop
 * thread may count at once: slots are claimed and counts added with atomic operations on the
 * shared mapping.
 *
 * <p>Layout: {@value #SLOTS} slots of {@value #SLOT} bytes; slot 0 holds the connection count, the
 * others a path each: {@code [0,8)} its count, {@code [8,12)} its length in bytes (0: free, -1:
 * being claimed), {@code [12,128)} the path's first {@value #MAX_PATH} bytes (longer paths count
 * under their prefix). A full table counts the request under the overflow path {@value #OVERFLOW}
 * in slot 1, reserved for it.
 */
final class PathCounters {
    static final int SLOT = 128;
    static final int SLOTS = 8192;
    static final long SIZE = (long) SLOT * SLOTS;
    static final int MAX_PATH = SLOT - 12;
    static final String OVERFLOW = "/(other)";
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final Memfd memfd;
    private final MemorySegment memory;

    PathCounters(Memfd memfd) {
        if (memfd.size() != SIZE) {
            throw new IllegalArgumentException("the counters' memfd has " + memfd.size() + " bytes, not " + SIZE);
        }
        this.memfd = memfd;
        this.memory = memfd.segment();
        claim(1, OVERFLOW.getBytes(StandardCharsets.UTF_8));
    }

    static PathCounters create() {
        return new PathCounters(Memfd.create("netty-example-counters", SIZE));
    }

    Memfd memfd() {
        return memfd;
    }

    /** Counts one request for {@code path}; returns its count now. */
    long count(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PATH) {
            bytes = Arrays.copyOf(bytes, MAX_PATH);
        }
        int slot = find(bytes);
        return (long) LONG.getAndAdd(memory, (long) slot * SLOT, 1L) + 1;
    }

    void connectionAccepted() {
        LONG.getAndAdd(memory, 0L, 1L);
    }

    long connectionsAccepted() {
        return (long) LONG.getVolatile(memory, 0L);
    }

    /** Every path counted, and its count, in slot order. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int slot = 1; slot < SLOTS; slot++) {
            long base = (long) slot * SLOT;
            int length = (int) INT.getVolatile(memory, base + 8);
            if (length > 0) {
                long count = (long) LONG.getVolatile(memory, base);
                if (count > 0) {
                    counts.put(new String(memory.asSlice(base + 12, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8),
                            count);
                }
            }
        }
        return counts;
    }

    /** The slot of {@code path}: found, or claimed now (open addressing from its hash). */
    private int find(byte[] path) {
        int start = 2 + Math.floorMod(Arrays.hashCode(path), SLOTS - 2);
        for (int i = 0; i < SLOTS - 2; i++) {
            int slot = 2 + (start - 2 + i) % (SLOTS - 2);
            if (claim(slot, path)) {
                return slot;
            }
        }
        return 1;
    }

    /** True when {@code slot} holds {@code path}, claiming it if it was free. */
    private boolean claim(int slot, byte[] path) {
        long base = (long) slot * SLOT;
        while (true) {
            int length = (int) INT.getVolatile(memory, base + 8);
            if (length == 0) {
                if (INT.compareAndSet(memory, base + 8, 0, -1)) {
                    MemorySegment.copy(path, 0, memory, ValueLayout.JAVA_BYTE, base + 12, path.length);
                    INT.setVolatile(memory, base + 8, path.length);
                    return true;
                }
            } else if (length == -1) {
                Thread.onSpinWait(); // another thread is writing this slot's path
            } else {
                return length == path.length
                        && MemorySegment.mismatch(memory, base + 12, base + 12 + length, MemorySegment.ofArray(path), 0, length) == -1;
            }
        }
    }
}
