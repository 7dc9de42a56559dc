package io.luo4j.kv;

import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.kv.resp.RespParser;
import io.luo4j.kv.resp.RespWriter;
import io.luo4j.kv.store.KvStore;
import io.luo4j.kv.store.SegmentHeap;
import io.luo4j.linux.Memfd;
import io.luo4j.linux.TcpConnection;
import io.luo4j.linux.WarmUp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The kv service's own warm-up, before it serves: every command runs on a throwaway store
 * ({@link #commands()}), and the whole take-over ({@link KvTakeOver}, a server over what it took)
 * runs as the application's part of luo4j's warm-up ({@link #takeOver()}, on throwaway
 * handovers inside this process), so that the successor's real take-over, which its clients wait
 * for, runs compiled code.
 */
final class KvWarmup {
    private static final int ROUNDS = 300;
    private static final int TAKE_OVERS = 50;
    private static final String[][] COMMANDS = {
        {"PING"}, {"SET", "k", "v"}, {"GET", "k"}, {"INCR", "n"}, {"MSET", "a", "1", "b", "2"}, {"MGET", "a", "b"},
        {"EXISTS", "a"}, {"DEL", "a"}, {"LPUSH", "l", "x"}, {"RPUSH", "l", "y"}, {"LRANGE", "l", "0", "-1"}, {"LPOP", "l"},
        {"RPOP", "l"}, {"SADD", "s", "m"}, {"SPOP", "s"}, {"HSET", "h", "f", "v"}, {"ZADD", "z", "1", "m"}, {"ZPOPMIN", "z"},
        {"DBSIZE"}, {"INFO"}, {"TYPE", "k"},
    };

    private KvWarmup() {}

    /** Runs every command on a throwaway store, {@value #ROUNDS} times. */
    static void commands() throws IOException {
        List<Memfd> segments = new ArrayList<>();
        try (Selector ignored = Selector.open()) {
            KvStore store = KvStore.create(SegmentHeap.create("kv-warmup", SegmentHeap.SEGMENT_SIZE, segments::add));
            KvCommands commands = new KvCommands(store, () -> new ServerInfo("warmup", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), KvAdmin.NONE);
            RespWriter out = new RespWriter(4096);
            for (int round = 0; round < ROUNDS; round++) {
                for (String[] command : COMMANDS) {
                    ByteBuffer request = ByteBuffer.wrap(encode(command));
                    commands.execute(new RespParser().next(request), out);
                }
                out.buffer().clear();
            }
            KvStore.attach(SegmentHeap.attach("kv-warmup", SegmentHeap.SEGMENT_SIZE, segments, segment -> {})).size();
        } finally {
            segments.forEach(Memfd::close);
        }
    }

    /** The kv service's sessions, handed over and taken over as a successor takes them. */
    static WarmUp takeOver() {
        return new WarmUp() {
            @Override
            public void preserve(LiveUpdateOrchestrator predecessor, List<AutoCloseable> owned) throws IOException {
                SegmentHeap heap = SegmentHeap.create("kv-warmup", SegmentHeap.SEGMENT_SIZE, owned::add);
                KvStore.create(heap).set("k".getBytes(StandardCharsets.US_ASCII), "v".getBytes(StandardCharsets.US_ASCII));
                ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                owned.add(listener);
                owned.add(SocketChannel.open(listener.getLocalAddress()));
                TcpConnection connection = TcpConnection.of(listener.accept());
                owned.add(connection);
                predecessor.createSession(KvService.HEAP_SESSION).preserve(0, heap.segments().get(0));
                predecessor.createSession(KvService.LISTENER_SESSION).preserve(1, listener);
                predecessor.createSession("conn-0").preserve(1, connection);
            }

            @Override
            public List<Session> takeOver(LiveUpdateOrchestrator successor, List<AutoCloseable> owned) throws IOException {
                KvTakeOver parts = KvTakeOver.from(successor, "kv-warmup", SegmentHeap.SEGMENT_SIZE, owned::add);
                owned.addAll(parts.store().heap().segments());
                owned.add(parts.listener());
                owned.addAll(parts.connections());
                KvServer server = new KvServer(successor, parts.listener(), 0);
                server.commands(new KvCommands(parts.store(), () -> new ServerInfo("warmup", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), KvAdmin.NONE));
                for (TcpConnection adopted : parts.connections()) {
                    server.adopt(adopted);
                }
                server.close();
                return parts.incoming();
            }

            @Override
            public int rounds() {
                return TAKE_OVERS;
            }
        };
    }

    private static byte[] encode(String[] command) {
        StringBuilder resp = new StringBuilder("*").append(command.length).append("\r\n");
        for (String part : command) {
            resp.append('$').append(part.length()).append("\r\n").append(part).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
