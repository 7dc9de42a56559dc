package io.luo4j.kv.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * The key-value store, all of it in a {@link SegmentHeap}: an index from keys to entries, and per
 * entry its type and value: a string inline, a list, or a packed set, hash or sorted set.
 *
 * <pre>
 * entry: type u8 | pad 3 | key length u32 | value length u32 (string) or value address u64 | key | string value
 * </pre>
 *
 * A successor {@linkplain #attach attaches} to the heap its predecessor handed over and finds every
 * key where it was. Not thread-safe: one event loop owns it. Errors a client must see are
 * {@link KvError}s.
 */
public final class KvStore {
    private static final long TYPE = 0;
    private static final long KEY_LENGTH = 4;
    private static final long VALUE = 8;
    private static final long KEY = 16;

    private final SegmentHeap heap;
    private HashIndex index;
    private final ListValue lists;
    private final PackValue packs;

    private KvStore(SegmentHeap heap, HashIndex index) {
        this.heap = heap;
        this.index = index;
        this.lists = new ListValue(heap);
        this.packs = new PackValue(heap);
    }

    /** A new, empty store in {@code heap}. */
    public static KvStore create(SegmentHeap heap) {
        return new KvStore(heap, HashIndex.create(heap));
    }

    /** The store a predecessor left in {@code heap}. */
    public static KvStore attach(SegmentHeap heap) {
        return new KvStore(heap, HashIndex.attach(heap));
    }

    public SegmentHeap heap() {
        return heap;
    }

    /** Number of keys. */
    public long size() {
        return index.count();
    }

    // ---------------------------------------------------------------- keys

    static long hash(byte[] key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    private HashIndex.KeyMatch matching(byte[] key) {
        return entry -> heap.getInt(entry + KEY_LENGTH) == key.length && heap.equalsBytes(entry + KEY, key);
    }

    private long find(byte[] key) {
        return index.find(hash(key), matching(key));
    }

    private ValueType typeOf(long entry) {
        return ValueType.of(heap.getByte(entry + TYPE));
    }

    /** What {@code key} holds, or null when it does not exist. */
    public ValueType type(byte[] key) {
        long entry = find(key);
        return entry == 0 ? null : typeOf(entry);
    }

    public boolean exists(byte[] key) {
        return find(key) != 0;
    }

    /** Deletes {@code key} and its value; false if it did not exist. */
    public boolean delete(byte[] key) {
        long entry = index.remove(hash(key), matching(key));
        if (entry == 0) {
            return false;
        }
        freeEntry(entry);
        return true;
    }

    private void freeEntry(long entry) {
        switch (typeOf(entry)) {
            case STRING -> { }
            case LIST -> lists.free(heap.getLong(entry + VALUE));
            default -> heap.free(heap.getLong(entry + VALUE));
        }
        heap.free(entry);
    }

    /** Deletes every key. */
    /**
     * Reads the index anew from the heap: after another process changed the heap (a successor that
     * served for a while and died; its writes are in the shared pages), the Java view of the index
     * (where its directory is, its capacity) may be stale.
     */
    public void reattach() {
        index = HashIndex.attach(heap);
    }

    public void flush() {
        List<Long> entries = new ArrayList<>();
        index.forEach(entries::add);
        for (long entry : entries) {
            freeEntry(entry);
        }
        HashIndex old = index;
        index = HashIndex.create(heap);
        old.free();
    }

    /** Stores {@code entry} under {@code key}, replacing and freeing what was there. */
    private void put(byte[] key, long entry) {
        long hash = hash(key);
        HashIndex.KeyMatch match = matching(key);
        if (index.find(hash, match) != 0) {
            freeEntry(index.replace(hash, match, entry));
        } else {
            index.insert(hash, entry);
        }
    }

    // ---------------------------------------------------------------- strings

    /** The string under {@code key}, or null; WRONGTYPE for another type. */
    public byte[] get(byte[] key) {
        long entry = find(key);
        if (entry == 0) {
            return null;
        }
        if (typeOf(entry) != ValueType.STRING) {
            throw KvError.wrongType();
        }
        return heap.read(entry + KEY + key.length, heap.getInt(entry + VALUE));
    }

    /** Stores a string, replacing whatever {@code key} held. */
    public void set(byte[] key, byte[] value) {
        long entry = heap.allocate(KEY + key.length + value.length);
        heap.setByte(entry + TYPE, ValueType.STRING.code);
        heap.setInt(entry + KEY_LENGTH, key.length);
        heap.setLong(entry + VALUE, value.length);
        heap.write(entry + KEY, key);
        heap.write(entry + KEY + key.length, value);
        put(key, entry);
    }

    /** Adds {@code delta} to the integer under {@code key} (0 when missing) and returns the sum. */
    public long incrBy(byte[] key, long delta) {
        byte[] current = get(key);
        long value;
        try {
            value = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new KvError("ERR value is not an integer or out of range");
        }
        long sum;
        try {
            sum = Math.addExact(value, delta);
        } catch (ArithmeticException e) {
            throw new KvError("ERR increment or decrement would overflow");
        }
        set(key, Long.toString(sum).getBytes(StandardCharsets.US_ASCII));
        return sum;
    }

    // ---------------------------------------------------------------- collections

    /** The address of {@code key}'s collection of {@code type}: 0 when missing, WRONGTYPE for another type. */
    private long collection(byte[] key, ValueType type) {
        long entry = find(key);
        if (entry == 0) {
            return 0;
        }
        if (typeOf(entry) != type) {
            throw KvError.wrongType();
        }
        return heap.getLong(entry + VALUE);
    }

    private long newCollectionEntry(byte[] key, ValueType type, long collection) {
        long entry = heap.allocate(KEY + key.length);
        heap.setByte(entry + TYPE, type.code);
        heap.setInt(entry + KEY_LENGTH, key.length);
        heap.setLong(entry + VALUE, collection);
        heap.write(entry + KEY, key);
        put(key, entry);
        return entry;
    }

    /** LPUSH / RPUSH: the length after. */
    public long push(byte[] key, List<byte[]> values, boolean left) {
        long list = collection(key, ValueType.LIST);
        if (list == 0) {
            list = lists.create();
            newCollectionEntry(key, ValueType.LIST, list);
        }
        long length = 0;
        for (byte[] value : values) {
            length = lists.push(list, value, left);
        }
        return length;
    }

    /** LPOP / RPOP: the element, or null; an emptied list is deleted. */
    public byte[] pop(byte[] key, boolean left) {
        long list = collection(key, ValueType.LIST);
        if (list == 0) {
            return null;
        }
        byte[] value = lists.pop(list, left);
        if (lists.length(list) == 0) {
            delete(key);
        }
        return value;
    }

    public List<byte[]> range(byte[] key, long start, long stop) {
        long list = collection(key, ValueType.LIST);
        return list == 0 ? List.of() : lists.range(list, start, stop);
    }

    public long listLength(byte[] key) {
        long list = collection(key, ValueType.LIST);
        return list == 0 ? 0 : lists.length(list);
    }

    /** Applies {@code change} to the pack under {@code key} (created empty), rewriting it; deletes it when emptied. */
    private <T> T updatePack(byte[] key, ValueType type, Function<List<PackValue.Pair>, T> change) {
        long pack = collection(key, type);
        List<PackValue.Pair> pairs = pack == 0 ? new ArrayList<>() : packs.read(pack);
        T result = change.apply(pairs);
        if (pairs.isEmpty()) {
            if (pack != 0) {
                delete(key);
            }
            return result;
        }
        long updated = packs.write(pairs);
        if (pack == 0) {
            newCollectionEntry(key, type, updated);
        } else {
            heap.setLong(find(key) + VALUE, updated);
            heap.free(pack);
        }
        return result;
    }

    private List<PackValue.Pair> readPack(byte[] key, ValueType type) {
        long pack = collection(key, type);
        return pack == 0 ? List.of() : packs.read(pack);
    }

    /** SADD: how many members were new. */
    public long setAdd(byte[] key, List<byte[]> members) {
        return updatePack(key, ValueType.SET, pairs -> {
            long added = 0;
            for (byte[] member : members) {
                if (PackValue.indexOf(pairs, member) < 0) {
                    pairs.add(new PackValue.Pair(member, new byte[0]));
                    added++;
                }
            }
            return added;
        });
    }

    /** SPOP: a random member, removed; null when empty. */
    public byte[] setPop(byte[] key, Random random) {
        if (collection(key, ValueType.SET) == 0) {
            return null;
        }
        return updatePack(key, ValueType.SET, pairs -> pairs.remove(random.nextInt(pairs.size())).name());
    }

    public boolean setContains(byte[] key, byte[] member) {
        return PackValue.indexOf(readPack(key, ValueType.SET), member) >= 0;
    }

    public long setSize(byte[] key) {
        return readPack(key, ValueType.SET).size();
    }

    /** HSET with (field, value) pairs: how many fields were new. */
    public long hashSet(byte[] key, List<byte[]> fieldsAndValues) {
        return updatePack(key, ValueType.HASH, pairs -> {
            long added = 0;
            for (int i = 0; i + 1 < fieldsAndValues.size(); i += 2) {
                int at = PackValue.indexOf(pairs, fieldsAndValues.get(i));
                PackValue.Pair pair = new PackValue.Pair(fieldsAndValues.get(i), fieldsAndValues.get(i + 1));
                if (at < 0) {
                    pairs.add(pair);
                    added++;
                } else {
                    pairs.set(at, pair);
                }
            }
            return added;
        });
    }

    public byte[] hashGet(byte[] key, byte[] field) {
        List<PackValue.Pair> pairs = readPack(key, ValueType.HASH);
        int at = PackValue.indexOf(pairs, field);
        return at < 0 ? null : pairs.get(at).value();
    }

    public long hashLength(byte[] key) {
        return readPack(key, ValueType.HASH).size();
    }

    /** ZADD with (score, member) pairs: how many members were new. */
    public long zsetAdd(byte[] key, List<Double> scores, List<byte[]> members) {
        return updatePack(key, ValueType.ZSET, pairs -> {
            long added = 0;
            for (int i = 0; i < members.size(); i++) {
                byte[] score = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(scores.get(i)).array();
                int at = PackValue.indexOf(pairs, members.get(i));
                if (at < 0) {
                    pairs.add(new PackValue.Pair(members.get(i), score));
                    added++;
                } else {
                    pairs.set(at, new PackValue.Pair(members.get(i), score));
                }
            }
            return added;
        });
    }

    /** A sorted-set member and its score. */
    public record Scored(byte[] member, double score) {}

    /** ZPOPMIN: the member with the lowest score (ties: the lowest member), removed; null when empty. */
    public Scored zsetPopMin(byte[] key) {
        if (collection(key, ValueType.ZSET) == 0) {
            return null;
        }
        return updatePack(key, ValueType.ZSET, pairs -> {
            int min = 0;
            for (int i = 1; i < pairs.size(); i++) {
                int cmp = Double.compare(score(pairs.get(i)), score(pairs.get(min)));
                if (cmp < 0 || cmp == 0 && Arrays.compare(pairs.get(i).name(), pairs.get(min).name()) < 0) {
                    min = i;
                }
            }
            PackValue.Pair removed = pairs.remove(min);
            return new Scored(removed.name(), score(removed));
        });
    }

    public long zsetSize(byte[] key) {
        return readPack(key, ValueType.ZSET).size();
    }

    private static double score(PackValue.Pair pair) {
        return ByteBuffer.wrap(pair.value()).order(ByteOrder.LITTLE_ENDIAN).getDouble();
    }
}
