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
    private final KvStore store = KvStore.create(SegmentHeap.create("cmd", 1L << 30, segments::add));
    private final KvCommands commands = new KvCommands(store, () -> new ServerInfo("svc", 42, 6379, 7, 3, 99));

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
    }

    @Test
    void quitClosesAfterItsReply() {
        RespWriter out = new RespWriter(64);
        assertFalse(commands.execute(List.of("QUIT".getBytes(StandardCharsets.UTF_8)), out));
        assertTrue(commands.execute(List.of("PING".getBytes(StandardCharsets.UTF_8)), out));
    }
}
