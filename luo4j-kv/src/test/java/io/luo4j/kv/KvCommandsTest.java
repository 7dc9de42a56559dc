package io.luo4j.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.kv.resp.RespWriter;
import io.luo4j.kv.store.KvStore;
import io.luo4j.kv.store.SegmentHeap;
import io.luo4j.linux.Memfd;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The command table's replies, byte for byte as a Redis client reads them. */
class KvCommandsTest {
    private final List<Memfd> segments = new ArrayList<>();
    private final RecordingAdmin admin = new RecordingAdmin();
    private final KvStore store = KvStore.create(SegmentHeap.create("cmd", 1L << 30, segments::add));
    private final KvCommands commands = new KvCommands(store, () -> new ServerInfo("svc", 42, 6379, 7, 3, 99, 0, 123, 4567, 8, 9), admin);

    @AfterEach
    void unmap() {
        segments.forEach(Memfd::close);
    }

    private String run(String... words) {
        RespWriter out = new RespWriter(64);
        commands.execute(Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.UTF_8)).toList(), out);
        return new String(out.buffer().array(), 0, out.buffer().position(), StandardCharsets.UTF_8);
    }

    @Test
    void stringsAndKeys() {
        assertEquals("+PONG\r\n", run("PING"));
        assertEquals("$2\r\nhi\r\n", run("ping", "hi"));
        assertEquals("+OK\r\n", run("SET", "k", "v"));
        assertEquals("$1\r\nv\r\n", run("GET", "k"));
        assertEquals("$-1\r\n", run("GET", "missing"));
        assertEquals("$-1\r\n", run("SET", "k", "w", "NX"));
        assertEquals("+OK\r\n", run("SET", "k", "w", "XX"));
        assertEquals(":1\r\n", run("INCR", "n"));
        assertEquals(":11\r\n", run("INCRBY", "n", "10"));
        assertEquals(":10\r\n", run("DECR", "n"));
        assertEquals("+OK\r\n", run("MSET", "a", "1", "b", "2"));
        assertEquals("*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n", run("MGET", "a", "b", "c"));
        assertEquals(":2\r\n", run("EXISTS", "a", "b", "c"));
        assertEquals(":1\r\n", run("DEL", "a", "c"));
        assertEquals(":3\r\n", run("DBSIZE"));
        assertEquals("+string\r\n", run("TYPE", "k"));
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", run("GET"));
        assertEquals("-ERR unknown command 'nope'\r\n", run("NOPE"));
        assertTrue(run("SET", "k", "v", "EX", "10").startsWith("-ERR syntax error"));
    }

    @Test
    void collectionsAsRedisBenchmarkUsesThem() {
        assertEquals(":1\r\n", run("LPUSH", "mylist", "VXK"));
        assertEquals(":2\r\n", run("RPUSH", "mylist", "ABC"));
        assertEquals("*2\r\n$3\r\nVXK\r\n$3\r\nABC\r\n", run("LRANGE", "mylist", "0", "599"));
        assertEquals("$3\r\nVXK\r\n", run("LPOP", "mylist"));
        assertEquals("$3\r\nABC\r\n", run("RPOP", "mylist"));
        assertEquals(":1\r\n", run("SADD", "myset", "element:__rand_int__"));
        assertEquals("$20\r\nelement:__rand_int__\r\n", run("SPOP", "myset"));
        assertEquals(":1\r\n", run("HSET", "myhash", "element:__rand_int__", "VXK"));
        assertEquals(":1\r\n", run("ZADD", "myzset", "0", "element:__rand_int__"));
        assertEquals("*2\r\n$20\r\nelement:__rand_int__\r\n$1\r\n0\r\n", run("ZPOPMIN", "myzset"));
        assertEquals("*0\r\n", run("ZPOPMIN", "myzset"));
        assertEquals("*0\r\n", run("CONFIG", "GET", "save"));
        assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n", run("LPUSH", "myhash", "x"));
    }

    @Test
    void infoReportsTheGenerationAndTheStore() {
        run("SET", "k", "v");
        String info = run("INFO");
        assertTrue(info.contains("luo4j_generation:7\r\n") && info.contains("luo4j_upgrades:7\r\n"), info);
        assertTrue(info.contains("db0:keys=1,") && info.contains("process_id:42") && info.contains("connected_clients:3"), info);
        assertTrue(info.contains("luo4j_state_bytes:" + SegmentHeap.SEGMENT_SIZE), info);
        assertTrue(info.contains("client_input_bytes:123\r\n") && info.contains("client_input_budget:4567\r\n")
                && info.contains("evicted_clients:8\r\n") && info.contains("accept_pauses:9\r\n"), info);
    }

    @Test
    void quitClosesAfterItsReply() {
        RespWriter out = new RespWriter(64);
        assertFalse(commands.execute(List.of("QUIT".getBytes(StandardCharsets.UTF_8)), out));
        assertTrue(commands.execute(List.of("PING".getBytes(StandardCharsets.UTF_8)), out));
    }

    @Test
    void saveAndShutdownGoThroughTheAdministration() {
        assertEquals("+OK\r\n", run("SAVE"));
        assertEquals(1, admin.saves);
        RespWriter out = new RespWriter(64);
        assertFalse(commands.execute(words("SHUTDOWN", "NOSAVE"), out), "the connection closes");
        assertEquals(0, out.buffer().position(), "a shutdown that goes ahead has no reply, as in Redis");
        assertEquals(1, admin.saves);
        assertEquals(1, admin.shutdowns);
        assertFalse(commands.execute(words("SHUTDOWN", "SAVE"), out));
        assertEquals(2, admin.saves);
        admin.savesByDefault = true;
        assertFalse(commands.execute(words("shutdown"), out));
        assertEquals(3, admin.saves, "without an argument it saves when a snapshot file is configured");
        assertEquals(3, admin.shutdowns);
        assertTrue(run("SHUTDOWN", "NOW").startsWith("-ERR syntax error"));
        assertEquals(3, admin.shutdowns);
    }

    @Test
    void aFailedSaveStopsTheShutdown() {
        admin.failSave = true;
        assertEquals("-ERR disk full\r\n", run("SHUTDOWN", "SAVE"));
        assertEquals(0, admin.shutdowns);
        assertEquals("-ERR disk full\r\n", run("SAVE"));
    }

    @Test
    void aStoreWithoutAServiceRefusesSaveAndShutdown() {
        KvCommands bare = new KvCommands(store, () -> new ServerInfo("svc", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0), KvAdmin.NONE);
        RespWriter out = new RespWriter(64);
        assertTrue(bare.execute(words("SAVE"), out));
        assertEquals("-ERR this store has no snapshot file\r\n", new String(out.buffer().array(), 0, out.buffer().position(),
                StandardCharsets.UTF_8));
    }

    @Test
    void debugPopulateCreatesPaddedValuesAndKeepsExistingKeys() {
        run("SET", "key:1", "mine");
        assertEquals("+OK\r\n", run("DEBUG", "POPULATE", "3"));
        assertEquals("$7\r\nvalue:0\r\n", run("GET", "key:0"));
        assertEquals("$4\r\nmine\r\n", run("GET", "key:1"));
        assertEquals("+OK\r\n", run("DEBUG", "POPULATE", "2", "big", "10"));
        assertEquals("$10\r\nvalue:1\0\0\0\r\n", run("GET", "big:1"));
        assertEquals(":5\r\n", run("DBSIZE"));
        assertTrue(run("DEBUG", "POPULATE", "-1").startsWith("-ERR count and size"));
        assertTrue(run("DEBUG", "SLEEP", "1").startsWith("-ERR DEBUG takes"));
    }

    @Test
    void debugDigestChangesWithTheDataAndOnlyWithIt() {
        String empty = run("DEBUG", "DIGEST");
        assertTrue(empty.matches("\\+[0-9a-f]{16}\r\n"), empty);
        assertEquals(empty, run("DEBUG", "DIGEST"));
        run("SET", "k", "v");
        String one = run("DEBUG", "DIGEST");
        assertFalse(one.equals(empty));
        assertEquals(one, run("DEBUG", "DIGEST"));
        run("SET", "k", "w");
        assertFalse(one.equals(run("DEBUG", "DIGEST")));
    }

    private static List<byte[]> words(String... words) {
        return Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Counts what the commands asked of the service. */
    private static final class RecordingAdmin implements KvAdmin {
        int saves;
        int shutdowns;
        boolean savesByDefault;
        boolean failSave;

        @Override
        public long save() {
            if (failSave) {
                throw new io.luo4j.kv.store.KvError("ERR disk full");
            }
            saves++;
            return 1;
        }

        @Override
        public boolean savesOnShutdown() {
            return savesByDefault;
        }

        @Override
        public void shutdown() {
            shutdowns++;
        }
    }
}
