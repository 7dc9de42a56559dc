package io.luo4j.kv;

import io.luo4j.kv.resp.RespWriter;
import io.luo4j.kv.store.KvError;
import io.luo4j.kv.store.KvStore;
import io.luo4j.kv.store.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The commands the kv service understands, Redis's semantics on the off-heap store: strings (PING,
 * ECHO, SET [NX|XX], GET, DEL, EXISTS, INCR, INCRBY, DECR, DECRBY, MSET, MGET, TYPE), lists (LPUSH,
 * RPUSH, LPOP, RPOP, LRANGE, LLEN), sets (SADD, SPOP, SCARD, SISMEMBER), hashes (HSET, HGET, HLEN),
 * sorted sets (ZADD, ZPOPMIN, ZCARD), and DBSIZE, FLUSHALL, INFO, SELECT 0, CONFIG GET, COMMAND,
 * CLIENT, QUIT: everything redis-benchmark's default tests and redis-cli send.
 *
 * <p>Administration, as in Redis: SAVE writes the snapshot file; SHUTDOWN [SAVE|NOSAVE] stops the
 * service after answering every client (saving first when asked, or by default when a snapshot
 * file is configured); DEBUG POPULATE count [prefix] [size] creates keys {@code prefix:N} holding
 * {@code value:N} padded with zero bytes to {@code size}; DEBUG DIGEST reads every byte of the data
 * and answers a checksum of it, equal wherever the same bytes are.
 */
final class KvCommands {
    private final KvStore store;
    private final Supplier<ServerInfo> info;
    private final KvAdmin admin;
    private final Random random = new Random();

    KvCommands(KvStore store, Supplier<ServerInfo> info, KvAdmin admin) {
        this.store = store;
        this.info = info;
        this.admin = admin;
    }

    /** The store anew from shared memory: see {@link KvStore#reattach()}. */
    void reattachStore() {
        store.reattach();
    }

    /** Runs one command, writing its reply; false when the connection should close after the reply. */
    boolean execute(List<byte[]> args, RespWriter out) {
        if (args.isEmpty()) {
            return true;
        }
        String name = new String(args.get(0), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        try {
            return dispatch(name, args, out);
        } catch (KvError e) {
            out.error(e.getMessage());
        } catch (io.luo4j.LiveUpdateException e) {
            out.error("ERR " + e.getMessage()); // ENOMEM when full, E2BIG for a huge value
        }
        return true;
    }

    private boolean dispatch(String name, List<byte[]> a, RespWriter out) {
        switch (name) {
            case "PING" -> {
                if (a.size() > 1) {
                    out.bulk(a.get(1));
                } else {
                    out.simple("PONG");
                }
            }
            case "ECHO" -> out.bulk(arg(a, 2, name, 1));
            case "SET" -> set(a, out);
            case "GET" -> out.bulk(store.get(arg(a, 2, name, 1)));
            case "DEL" -> {
                atLeast(a, 2, name);
                long deleted = 0;
                for (int i = 1; i < a.size(); i++) {
                    deleted += store.delete(a.get(i)) ? 1 : 0;
                }
                out.integer(deleted);
            }
            case "EXISTS" -> {
                atLeast(a, 2, name);
                long found = 0;
                for (int i = 1; i < a.size(); i++) {
                    found += store.exists(a.get(i)) ? 1 : 0;
                }
                out.integer(found);
            }
            case "INCR" -> out.integer(store.incrBy(arg(a, 2, name, 1), 1));
            case "DECR" -> out.integer(store.incrBy(arg(a, 2, name, 1), -1));
            case "INCRBY" -> out.integer(store.incrBy(arg(a, 3, name, 1), integer(a.get(2))));
            case "DECRBY" -> out.integer(store.incrBy(arg(a, 3, name, 1), Math.negateExact(integer(a.get(2)))));
            case "MSET" -> {
                if (a.size() < 3 || a.size() % 2 == 0) {
                    throw arity(name);
                }
                for (int i = 1; i < a.size(); i += 2) {
                    store.set(a.get(i), a.get(i + 1));
                }
                out.simple("OK");
            }
            case "MGET" -> {
                atLeast(a, 2, name);
                out.arrayHeader(a.size() - 1);
                for (int i = 1; i < a.size(); i++) {
                    ValueType type = store.type(a.get(i));
                    out.bulk(type == ValueType.STRING ? store.get(a.get(i)) : null);
                }
            }
            case "TYPE" -> {
                ValueType type = store.type(arg(a, 2, name, 1));
                out.simple(type == null ? "none" : type.redisName());
            }
            case "LPUSH", "RPUSH" -> {
                atLeast(a, 3, name);
                out.integer(store.push(a.get(1), a.subList(2, a.size()), name.equals("LPUSH")));
            }
            case "LPOP", "RPOP" -> out.bulk(store.pop(arg(a, 2, name, 1), name.equals("LPOP")));
            case "LRANGE" -> {
                List<byte[]> values = store.range(arg(a, 4, name, 1), integer(a.get(2)), integer(a.get(3)));
                out.arrayHeader(values.size());
                values.forEach(out::bulk);
            }
            case "LLEN" -> out.integer(store.listLength(arg(a, 2, name, 1)));
            case "SADD" -> {
                atLeast(a, 3, name);
                out.integer(store.setAdd(a.get(1), a.subList(2, a.size())));
            }
            case "SPOP" -> out.bulk(store.setPop(arg(a, 2, name, 1), random));
            case "SCARD" -> out.integer(store.setSize(arg(a, 2, name, 1)));
            case "SISMEMBER" -> out.integer(store.setContains(arg(a, 3, name, 1), a.get(2)) ? 1 : 0);
            case "HSET" -> {
                if (a.size() < 4 || a.size() % 2 != 0) {
                    throw arity(name);
                }
                out.integer(store.hashSet(a.get(1), a.subList(2, a.size())));
            }
            case "HGET" -> out.bulk(store.hashGet(arg(a, 3, name, 1), a.get(2)));
            case "HLEN" -> out.integer(store.hashLength(arg(a, 2, name, 1)));
            case "ZADD" -> zadd(a, out);
            case "ZPOPMIN" -> {
                KvStore.Scored popped = store.zsetPopMin(arg(a, 2, name, 1));
                if (popped == null) {
                    out.arrayHeader(0);
                } else {
                    out.arrayHeader(2).bulk(popped.member()).bulk(formatScore(popped.score()));
                }
            }
            case "ZCARD" -> out.integer(store.zsetSize(arg(a, 2, name, 1)));
            case "DBSIZE" -> out.integer(store.size());
            case "FLUSHALL", "FLUSHDB" -> {
                store.flush();
                out.simple("OK");
            }
            case "INFO" -> out.bulk(info());
            case "SELECT" -> {
                if (integer(arg(a, 2, name, 1)) != 0) {
                    throw new KvError("ERR DB index is out of range");
                }
                out.simple("OK");
            }
            case "CONFIG" -> out.arrayHeader(0); // no configuration to report
            case "COMMAND" -> out.arrayHeader(0);
            case "CLIENT" -> out.simple("OK");
            case "QUIT" -> {
                out.simple("OK");
                return false;
            }
            case "SAVE" -> {
                arg(a, 1, name, 0);
                admin.save();
                out.simple("OK");
            }
            case "SHUTDOWN" -> {
                return shutdown(a);
            }
            case "DEBUG" -> debug(a, out);
            default -> out.error("ERR unknown command '" + name.toLowerCase(Locale.ROOT) + "'");
        }
        return true;
    }

    private void set(List<byte[]> a, RespWriter out) {
        atLeast(a, 3, "SET");
        boolean nx = false;
        boolean xx = false;
        for (int i = 3; i < a.size(); i++) {
            String option = new String(a.get(i), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
            switch (option) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                default -> throw new KvError("ERR syntax error (SET takes NX or XX; expiry is not supported by this cache)");
            }
        }
        boolean exists = store.exists(a.get(1));
        if (nx && exists || xx && !exists) {
            out.bulk((byte[]) null);
            return;
        }
        store.set(a.get(1), a.get(2));
        out.simple("OK");
    }

    /** SHUTDOWN [SAVE|NOSAVE]: no reply when it goes ahead (the connection closes, as in Redis). */
    private boolean shutdown(List<byte[]> a) {
        if (a.size() > 2) {
            throw arity("SHUTDOWN");
        }
        boolean save = admin.savesOnShutdown();
        if (a.size() == 2) {
            switch (new String(a.get(1), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT)) {
                case "SAVE" -> save = true;
                case "NOSAVE" -> save = false;
                default -> throw new KvError("ERR syntax error (SHUTDOWN takes SAVE or NOSAVE)");
            }
        }
        if (save) {
            admin.save();
        }
        admin.shutdown();
        return false;
    }

    private void debug(List<byte[]> a, RespWriter out) {
        atLeast(a, 2, "DEBUG");
        String sub = new String(a.get(1), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        switch (sub) {
            case "DIGEST" -> {
                arg(a, 2, "DEBUG", 1);
                out.simple(String.format("%016x", store.heap().checksum()));
            }
            case "POPULATE" -> {
                if (a.size() < 3 || a.size() > 5) {
                    throw arity("DEBUG POPULATE");
                }
                long count = integer(a.get(2));
                String prefix = a.size() > 3 ? new String(a.get(3), StandardCharsets.UTF_8) : "key";
                long size = a.size() > 4 ? integer(a.get(4)) : 0;
                if (count < 0 || size < 0 || size > Integer.MAX_VALUE - 16) {
                    throw new KvError("ERR count and size must be positive, size below 2 GiB");
                }
                for (long i = 0; i < count; i++) {
                    byte[] key = (prefix + ":" + i).getBytes(StandardCharsets.UTF_8);
                    if (!store.exists(key)) {
                        byte[] text = ("value:" + i).getBytes(StandardCharsets.US_ASCII);
                        store.set(key, size == 0 ? text : java.util.Arrays.copyOf(text, (int) size));
                    }
                }
                out.simple("OK");
            }
            default -> throw new KvError("ERR DEBUG takes DIGEST or POPULATE count [prefix] [size]");
        }
    }

    private void zadd(List<byte[]> a, RespWriter out) {
        if (a.size() < 4 || a.size() % 2 != 0) {
            throw arity("ZADD");
        }
        List<Double> scores = new ArrayList<>();
        List<byte[]> members = new ArrayList<>();
        for (int i = 2; i < a.size(); i += 2) {
            try {
                scores.add(Double.parseDouble(new String(a.get(i), StandardCharsets.US_ASCII)));
            } catch (NumberFormatException e) {
                throw new KvError("ERR value is not a valid float");
            }
            members.add(a.get(i + 1));
        }
        out.integer(store.zsetAdd(a.get(1), scores, members));
    }

    private String info() {
        ServerInfo server = info.get();
        return "# Server\r\nredis_version:7.0.0\r\nluo4j_service:" + server.name() + "\r\nprocess_id:" + server.pid()
                + "\r\ntcp_port:" + server.port() + "\r\n\r\n# Clients\r\nconnected_clients:" + server.clients()
                + "\r\nclient_input_bytes:" + server.inputBytes() + "\r\nclient_input_budget:" + server.inputBudget()
                + "\r\n\r\n# Memory\r\nused_memory:" + store.heap().used() + "\r\nluo4j_state_bytes:" + store.heap().mapped()
                + "\r\nluo4j_segments:" + store.heap().segments().size() + "\r\nluo4j_snapshot_load_ms:" + server.snapshotLoadMillis()
                + "\r\n\r\n# Stats\r\ntotal_commands_processed:" + server.commands() + "\r\nevicted_clients:" + server.evictedClients()
                + "\r\naccept_pauses:" + server.acceptPauses()
                + "\r\n\r\n# luo4j\r\nluo4j_generation:" + server.generation() + "\r\nluo4j_upgrades:" + server.generation()
                + "\r\n\r\n# Keyspace\r\ndb0:keys=" + store.size() + ",expires=0,avg_ttl=0\r\n";
    }

    private static String formatScore(double score) {
        return score == Math.rint(score) && !Double.isInfinite(score) ? Long.toString((long) score) : Double.toString(score);
    }

    private static byte[] arg(List<byte[]> a, int arity, String name, int index) {
        if (a.size() != arity) {
            throw arity(name);
        }
        return a.get(index);
    }

    private static void atLeast(List<byte[]> a, int minimum, String name) {
        if (a.size() < minimum) {
            throw arity(name);
        }
    }

    private static long integer(byte[] value) {
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new KvError("ERR value is not an integer or out of range");
        }
    }

    private static KvError arity(String name) {
        return new KvError("ERR wrong number of arguments for '" + name.toLowerCase(Locale.ROOT) + "' command");
    }
}
