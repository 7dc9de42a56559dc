package io.luo4j.kv;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.kv.store.KvStore;
import io.luo4j.kv.store.SegmentHeap;
import io.luo4j.linux.LiveUpdate;
import io.luo4j.linux.Memfd;
import io.luo4j.linux.TcpConnection;
import io.luo4j.linux.UpgradeListener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kv service under luo4j: a Redis-protocol cache whose data lives in memfd segments.
 *
 * <p>Sessions it preserves: {@code kv-heap} (every heap segment, token = segment number, new
 * segments as the heap grows), {@code kv-listener} (the listening socket) and one {@code conn-N} per
 * client. Started cold, it creates the heap and binds; as a successor it retrieves all of it,
 * attaches to the heap in place (the same pages: no copy, no reload), reports ready, and serves.
 */
public final class KvService {
    static final String HEAP_SESSION = "kv-heap";
    static final String LISTENER_SESSION = "kv-listener";

    private KvService() {}

    /**
     * Runs the service: {@code --name NAME --port PORT [--memory BYTES] [--bind ADDRESS]}. Users
     * run it as {@code luoctl kv}; this entry point serves tests and scripts with the class path.
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--name") || !options.containsKey("--port")) {
            System.err.println("usage: KvService --name NAME --port PORT [--memory BYTES] [--bind ADDRESS]");
            System.exit(2);
        }
        run(options.get("--name"), options.getOrDefault("--bind", "127.0.0.1"), Integer.parseInt(options.get("--port")),
                Long.parseLong(options.getOrDefault("--memory", Long.toString(1L << 30))));
    }

    /** Runs service {@code name} on {@code port} (loopback unless {@code bind} says otherwise) until the process ends. */
    public static void run(String name, String bind, int port, long memory) throws IOException {
        ServerProxy upgrades = new ServerProxy();
        KvWarmup.run(); // before start: a successor warms up while its predecessor still serves
        LiveUpdate live = LiveUpdate.builder(name).listener(upgrades).start();
        LiveUpdateOrchestrator luo = live.orchestrator();
        HeapSession heapSession = new HeapSession();
        KvTakeOver parts = live.isSuccessor()
                ? KvTakeOver.from(luo, name, memory, heapSession::preserve)
                : new KvTakeOver(KvStore.create(SegmentHeap.create(name, memory, heapSession::preserve)),
                        ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getByName(bind), port), 4096), List.of(), List.of());
        KvStore store = parts.store();
        ServerSocketChannel listener = parts.listener();
        List<TcpConnection> connections = parts.connections();
        List<Session> incoming = parts.incoming();

        KvServer server = new KvServer(luo, listener);
        server.commands(new KvCommands(store, () -> new ServerInfo(name, ProcessHandle.current().pid(), port, live.generation(),
                server.clientCount(), server.commandsProcessed())));
        upgrades.server = server;
        for (TcpConnection connection : connections) {
            server.adopt(connection);
        }
        // the clients waited through the upgrade: they are answered first, then everything is
        // preserved again for the next upgrade (an incoming session must be finished before its
        // files can be preserved anew)
        server.afterFirstRound(() -> {
            for (Session session : incoming) {
                session.finish();
            }
            heapSession.open(luo, store.heap().segments());
            luo.createSession(LISTENER_SESSION).preserve(1, listener);
            server.preserveAdopted();
            // plain concatenation: a first String.format costs tens of milliseconds
            System.out.println("kv " + name + ": generation " + live.generation() + ", pid " + ProcessHandle.current().pid() + ", "
                    + store.size() + " keys, " + (store.heap().mapped() >> 20) + " MiB of memfd, serving on "
                    + describe(listener));
        });
        // everything is built and registered: after the commit only the serving is left
        live.ready(); // a successor: the predecessor commits now; started cold: nothing to do
        server.serve();
    }

    private static String describe(ServerSocketChannel listener) {
        try {
            return String.valueOf(listener.getLocalAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * The heap's session: every segment preserved under its number, new ones as the heap grows. The
     * first segment is created before the session can be (handlers and the incoming image come
     * first), so {@link #open} preserves what exists and later segments follow one by one.
     */
    private static final class HeapSession {
        private Session session;

        void open(LiveUpdateOrchestrator luo, List<Memfd> segments) {
            session = luo.createSession(HEAP_SESSION);
            for (Memfd segment : segments) {
                preserve(segment);
            }
        }

        void preserve(Memfd segment) {
            if (session != null) {
                session.preserve(session.tokens().size(), segment);
            }
        }
    }

    /** Hands the upgrade hooks to the server once it exists (the listener is given before). */
    private static final class ServerProxy implements UpgradeListener {
        volatile KvServer server;

        @Override
        public void quiesce() {
            if (server == null) {
                throw new LiveUpdateException(Errno.EBUSY, "the kv service is still starting: upgrade it once it serves");
            }
            server.quiesce();
        }

        @Override
        public void resume() {
            if (server != null) {
                server.resume();
            }
        }
    }
}
