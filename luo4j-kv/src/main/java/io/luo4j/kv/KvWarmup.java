package io.luo4j.kv;

import io.luo4j.kv.resp.RespParser;
import io.luo4j.kv.resp.RespWriter;
import io.luo4j.kv.store.KvStore;
import io.luo4j.kv.store.SegmentHeap;
import io.luo4j.linux.Memfd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The kv service's own warm-up, before it starts its live update: every command runs on a
 * throwaway store, so the successor takes over with its classes loaded and its code run, and the
 * pause its clients see is not spent loading classes.
 */
final class KvWarmup {
    private static final int ROUNDS = 300;
    private static final String[][] COMMANDS = {
        {"PING"}, {"SET", "k", "v"}, {"GET", "k"}, {"INCR", "n"}, {"MSET", "a", "1", "b", "2"}, {"MGET", "a", "b"},
        {"EXISTS", "a"}, {"DEL", "a"}, {"LPUSH", "l", "x"}, {"RPUSH", "l", "y"}, {"LRANGE", "l", "0", "-1"}, {"LPOP", "l"},
        {"RPOP", "l"}, {"SADD", "s", "m"}, {"SPOP", "s"}, {"HSET", "h", "f", "v"}, {"ZADD", "z", "1", "m"}, {"ZPOPMIN", "z"},
        {"DBSIZE"}, {"INFO"}, {"TYPE", "k"},
    };

    private KvWarmup() {}

    static void run() throws IOException {
        List<Memfd> segments = new ArrayList<>();
        try (Selector ignored = Selector.open()) {
            KvStore store = KvStore.create(SegmentHeap.create("kv-warmup", SegmentHeap.SEGMENT_SIZE, segments::add));
            KvCommands commands = new KvCommands(store, () -> new ServerInfo("warmup", 0, 0, 0, 0, 0));
            RespWriter out = new RespWriter(4096);
            for (int round = 0; round < ROUNDS; round++) {
                for (String[] command : COMMANDS) {
                    ByteBuffer request = ByteBuffer.wrap(encode(command));
                    commands.execute(RespParser.next(request), out);
                }
                out.buffer().clear();
            }
            KvStore.attach(SegmentHeap.attach("kv-warmup", SegmentHeap.SEGMENT_SIZE, segments, segment -> {})).size();
        } finally {
            segments.forEach(Memfd::close);
        }
    }

    private static byte[] encode(String[] command) {
        StringBuilder resp = new StringBuilder("*").append(command.length).append("\r\n");
        for (String part : command) {
            resp.append('$').append(part.length()).append("\r\n").append(part).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
