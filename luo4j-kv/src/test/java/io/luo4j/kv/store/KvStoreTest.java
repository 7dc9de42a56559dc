package io.luo4j.kv.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.Memfd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store against real memfds; a second heap attached to the same memfds plays the successor. */
class KvStoreTest {
    private final List<Memfd> segments = new ArrayList<>();
    private final SegmentHeap heap = SegmentHeap.create("test", 1L << 30, segments::add);
    private final KvStore store = KvStore.create(heap);

    @AfterEach
    void unmap() {
        segments.forEach(Memfd::close);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private KvStore successor() {
        List<Memfd> views = new ArrayList<>();
        for (Memfd segment : segments) {
            views.add(segment); // the same pages; a real successor maps the received descriptors
        }
        return KvStore.attach(SegmentHeap.attach("test", 1L << 30, views, segments::add));
    }

    @Test
    void stringsSetGetReplaceDeleteAndIncrement() {
        assertNull(store.get(b("k")));
        store.set(b("k"), b("v1"));
        store.set(b("k"), b("value two"));
        assertEquals("value two", s(store.get(b("k"))));
        assertEquals(1, store.size());
        assertEquals(5, store.incrBy(b("n"), 5));
        assertEquals(3, store.incrBy(b("n"), -2));
        assertEquals("ERR value is not an integer or out of range", assertThrows(KvError.class, () -> store.incrBy(b("k"), 1)).getMessage());
        store.set(b("max"), b(Long.toString(Long.MAX_VALUE)));
        assertThrows(KvError.class, () -> store.incrBy(b("max"), 1));
        assertTrue(store.delete(b("k")));
        assertFalse(store.delete(b("k")));
        assertEquals(2, store.size());
        store.set(b(""), b(""));
        assertEquals("", s(store.get(b(""))));
    }

    @Test
    void listsPushPopAndRangeLikeRedis() {
        assertEquals(3, store.push(b("l"), List.of(b("a"), b("b"), b("c")), false)); // a b c
        assertEquals(4, store.push(b("l"), List.of(b("z")), true)); // z a b c
        assertEquals(List.of("z", "a", "b", "c"), store.range(b("l"), 0, -1).stream().map(KvStoreTest::s).toList());
        assertEquals(List.of("a", "b"), store.range(b("l"), 1, 2).stream().map(KvStoreTest::s).toList());
        assertEquals(List.of("b", "c"), store.range(b("l"), -2, 100).stream().map(KvStoreTest::s).toList());
        assertEquals(List.of(), store.range(b("l"), 3, 1));
        assertEquals("z", s(store.pop(b("l"), true)));
        assertEquals("c", s(store.pop(b("l"), false)));
        assertEquals(2, store.listLength(b("l")));
        store.pop(b("l"), true);
        store.pop(b("l"), true);
        assertNull(store.type(b("l")), "an emptied list is deleted");
        assertNull(store.pop(b("l"), true));
        store.set(b("str"), b("1"));
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                assertThrows(KvError.class, () -> store.push(b("str"), List.of(b("a")), true)).getMessage());
        assertThrows(KvError.class, () -> store.range(b("str"), 0, 1));
    }

    @Test
    void setsHashesAndSortedSets() {
        assertEquals(2, store.setAdd(b("s"), List.of(b("a"), b("b"), b("a"))));
        assertEquals(0, store.setAdd(b("s"), List.of(b("b"))));
        assertTrue(store.setContains(b("s"), b("a")));
        assertEquals(2, store.setSize(b("s")));
        byte[] popped = store.setPop(b("s"), new Random(1));
        assertTrue(s(popped).equals("a") || s(popped).equals("b"));
        store.setPop(b("s"), new Random(1));
        assertNull(store.type(b("s")));
        assertNull(store.setPop(b("s"), new Random(1)));

        assertEquals(2, store.hashSet(b("h"), List.of(b("f1"), b("v1"), b("f2"), b("v2"))));
        assertEquals(0, store.hashSet(b("h"), List.of(b("f1"), b("new"))));
        assertEquals("new", s(store.hashGet(b("h"), b("f1"))));
        assertNull(store.hashGet(b("h"), b("nope")));
        assertEquals(2, store.hashLength(b("h")));

        assertEquals(3, store.zsetAdd(b("z"), List.of(3.0, 1.0, 1.0), List.of(b("c"), b("b"), b("a"))));
        assertEquals("a", s(store.zsetPopMin(b("z")).member()));
        KvStore.Scored next = store.zsetPopMin(b("z"));
        assertEquals("b", s(next.member()));
        assertEquals(1.0, next.score());
        assertEquals(1, store.zsetSize(b("z")));
        assertThrows(KvError.class, () -> store.setAdd(b("h"), List.of(b("x"))));
    }

    @Test
    void aHundredThousandKeysGrowTheIndexAndAllSurviveInASuccessor() {
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            store.set(b("key:" + i), b("value-" + i));
        }
        for (int i = 0; i < n; i += 2) {
            assertTrue(store.delete(b("key:" + i)));
        }
        store.push(b("list"), List.of(b("x"), b("y")), false);
        KvStore next = successor();
        assertEquals(n / 2 + 1, next.size());
        for (int i = 1; i < n; i += 2) {
            assertEquals("value-" + i, s(next.get(b("key:" + i))));
        }
        assertNull(next.get(b("key:0")));
        assertEquals("y", s(next.pop(b("list"), false)));
        next.set(b("written-by-successor"), b("yes"));
        assertEquals("yes", s(store.get(b("written-by-successor"))), "one heap, two views");
    }

    @Test
    void theHeapGrowsBySegmentsAndReusesFreedBlocks() {
        byte[] big = new byte[4 << 20];
        for (int i = 0; i < 40; i++) {
            big[0] = (byte) i;
            store.set(b("big" + i), big);
        }
        assertTrue(segments.size() >= 3, "160 MiB of values need several 64 MiB segments: " + segments.size());
        long used = heap.used();
        store.delete(b("big0"));
        store.set(b("big0"), big);
        assertEquals(used, heap.used(), "the freed block was reused");
        KvStore next = successor();
        for (int i = 1; i < 40; i++) {
            assertEquals(i, next.get(b("big" + i))[0]);
        }
        assertArrayEquals(big, next.get(b("big0")));
    }

    @Test
    void aFullHeapIsEnomemAndTooLargeValuesAreE2big() {
        List<Memfd> small = new ArrayList<>();
        SegmentHeap tiny = SegmentHeap.create("tiny", SegmentHeap.SEGMENT_SIZE, small::add);
        KvStore limited = KvStore.create(tiny);
        byte[] value = new byte[1 << 20];
        LiveUpdateException full = assertThrows(LiveUpdateException.class, () -> {
            for (int i = 0; i < 100; i++) {
                limited.set(b("k" + i), value);
            }
        });
        assertEquals(Errno.ENOMEM, full.reason());
        assertEquals(Errno.E2BIG, assertThrows(LiveUpdateException.class, () -> limited.set(b("huge"), new byte[40 << 20])).reason());
        small.forEach(Memfd::close);
    }

    @Test
    void flushDeletesEverything() {
        for (int i = 0; i < 5000; i++) {
            store.set(b("k" + i), b("v"));
        }
        store.push(b("l"), List.of(b("a")), true);
        store.flush();
        assertEquals(0, store.size());
        assertNull(store.get(b("k1")));
        store.set(b("again"), b("1"));
        assertEquals(1, successor().size());
    }

    @Test
    void attachingToSomethingElseIsEbadmsg() {
        try (Memfd other = Memfd.create("other", SegmentHeap.SEGMENT_SIZE)) {
            assertEquals(Errno.EBADMSG, assertThrows(LiveUpdateException.class,
                    () -> SegmentHeap.attach("x", 1L << 30, List.of(other), m -> {})).reason());
        }
    }

    @Test
    void aSnapshotLoadsBackByteForByteInNewMemfds(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 5000; i++) {
            store.set(b("snap:" + i), b("value-" + i));
        }
        store.push(b("list"), List.of(b("a"), b("b")), false);
        Path file = dir.resolve("kv.snapshot");
        long written = HeapSnapshot.save(heap, file);
        assertEquals(Files.size(file), written);
        assertEquals(16 + heap.mapped() + 4, written);

        List<Memfd> loaded = new ArrayList<>();
        SegmentHeap copy = HeapSnapshot.load("copy", 1L << 30, file, loaded::add);
        try {
            assertEquals(heap.checksum(), copy.checksum());
            assertTrue(loaded.isEmpty(), "the loaded segments are the copy's, not new ones");
            KvStore restored = KvStore.attach(copy);
            assertEquals(5001, restored.size());
            assertEquals("value-4321", s(restored.get(b("snap:4321"))));
            assertEquals(List.of("a", "b"), restored.range(b("list"), 0, -1).stream().map(KvStoreTest::s).toList());
            assertNotEquals(segments.get(0).inode(), copy.segments().get(0).inode(), "new memfds, not the same pages");
        } finally {
            copy.segments().forEach(Memfd::close);
        }
    }

    @Test
    void aDamagedOrOversizedSnapshotIsRefusedWithItsReason(@TempDir Path dir) throws Exception {
        store.set(b("k"), b("v"));
        Path file = dir.resolve("kv.snapshot");
        HeapSnapshot.save(heap, file);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[5000] ^= 1;
        Files.write(file, flipped);
        LiveUpdateException corrupt = assertThrows(LiveUpdateException.class, () -> HeapSnapshot.load("x", 1L << 30, file, m -> {}));
        assertEquals(Errno.EBADMSG, corrupt.reason());
        assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 100));
        LiveUpdateException truncated = assertThrows(LiveUpdateException.class, () -> HeapSnapshot.load("x", 1L << 30, file, m -> {}));
        assertEquals(Errno.EBADMSG, truncated.reason());
        assertTrue(truncated.getMessage().contains("bytes long"), truncated.getMessage());

        Files.write(file, "not a snapshot at all".getBytes(StandardCharsets.US_ASCII));
        assertEquals(Errno.EBADMSG, assertThrows(LiveUpdateException.class, () -> HeapSnapshot.load("x", 1L << 30, file, m -> {})).reason());

        for (int i = 0; i < 80; i++) {
            store.set(b("big:" + i), new byte[1 << 20]); // grows the heap to a second segment
        }
        HeapSnapshot.save(heap, file);
        LiveUpdateException tooBig = assertThrows(LiveUpdateException.class,
                () -> HeapSnapshot.load("x", SegmentHeap.SEGMENT_SIZE, file, m -> {}));
        assertEquals(Errno.ENOMEM, tooBig.reason());
        assertTrue(tooBig.getMessage().contains("--memory"), tooBig.getMessage());
    }
}
