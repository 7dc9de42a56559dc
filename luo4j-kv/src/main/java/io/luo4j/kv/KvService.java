package io.luo4j.kv;

import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.kv.store.HeapSnapshot;
import io.luo4j.kv.store.KvError;
import io.luo4j.kv.store.KvStore;
import io.luo4j.kv.store.SegmentHeap;
import io.luo4j.linux.LiveUpdate;
import io.luo4j.linux.Memfd;
import io.luo4j.linux.TcpConnection;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kv service under luo4j: a Redis-protocol cache whose data lives in memfd segments.
 *
 * <p>Sessions it preserves: {@code kv-heap} (every heap segment, token = segment number, new
 * segments as the heap grows), {@code kv-listener} (the listening socket) and one {@code conn-N} per
 * client. Started cold, it creates the heap (or loads its snapshot file, when one is configured and
 * exists) and binds; as a successor it retrieves all of it, attaches to the heap in place (the same
 * pages: no copy, no reload), reports ready, and serves. SHUTDOWN ends it: it answers every client,
 * closes, and the process exits.
 */
public final class KvService {
    private static final System.Logger LOG = System.getLogger("io.luo4j.kv");
    static final String HEAP_SESSION = "kv-heap";
    static final String LISTENER_SESSION = "kv-listener";
    /** The line the service prints once it serves: "kv NAME: generation G, pid P, ... serving on ADDRESS". */
    public static final String SERVING = "serving on ";

    private KvService() {}

    /**
     * Runs the service: {@code --name NAME --port PORT [--memory BYTES] [--bind ADDRESS]
     * [--snapshot FILE] [--reuseport true|false] [--warm-up true|false] [--input-budget BYTES]}. Users run it as
     * {@code luoctl kv}; this entry point serves tests, benchmarks and scripts with the class path.
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0 || !options.containsKey("--name") || !options.containsKey("--port")) {
            System.err.println("usage: KvService --name NAME --port PORT [--memory BYTES] [--bind ADDRESS] [--snapshot FILE]"
                    + " [--reuseport true|false] [--warm-up true|false] [--input-budget BYTES]");
            System.exit(2);
        }
        String snapshot = options.get("--snapshot");
        run(new KvConfig(options.get("--name"), options.getOrDefault("--bind", "127.0.0.1"), Integer.parseInt(options.get("--port")),
                Long.parseLong(options.getOrDefault("--memory", Long.toString(1L << 30))), snapshot == null ? null : Path.of(snapshot),
                Boolean.parseBoolean(options.getOrDefault("--reuseport", "false")),
                Boolean.parseBoolean(options.getOrDefault("--warm-up", "true")),
                Long.parseLong(options.getOrDefault("--input-budget", "0"))));
        System.exit(0); // shut down, or handed over to a successor: this process is done
    }

    /**
     * Runs the service until SHUTDOWN or until a successor serves (then returns; the caller ends
     * the process).
     */
    public static void run(KvConfig config) throws IOException {
        String name = config.name();
        long inputBudget = config.inputBudget() > 0 ? config.inputBudget() : KvServer.defaultInputBudget();
        // the first log line reads the logging configuration and the time-zone database (files): now,
        // not during a take-over (the clients wait) nor at the descriptor limit (it would fail)
        ZoneId.systemDefault().getRules();
        LOG.log(Level.INFO, "kv " + name + ": the clients' half-sent commands may hold " + inputBudget
                + " bytes of heap together (--input-budget)");
        if (config.warmUp()) {
            KvWarmup.commands(); // before start: a successor warms up while its predecessor still serves
        }
        // a successor must be this same cache: same address, same memory bound
        String identity = "bind=" + config.bind() + " port=" + config.port() + " memory=" + config.memory();
        try (LiveUpdate live = LiveUpdate.builder(name).identity(identity).warmUp(config.warmUp()).warmUp(KvWarmup.takeOver()).start()) {
            LiveUpdateOrchestrator luo = live.orchestrator();
            HeapSession heapSession = new HeapSession();
            long loadStart = System.nanoTime();
            KvTakeOver parts = live.isSuccessor()
                    ? KvTakeOver.from(luo, name, config.memory(), heapSession::preserve)
                    : new KvTakeOver(coldStore(config, heapSession), listen(config), List.of(), List.of());
            double snapshotLoadMillis = !live.isSuccessor() && hasSnapshot(config) ? (System.nanoTime() - loadStart) / 1e6 : 0;
            KvStore store = parts.store();
            ServerSocketChannel listener = parts.listener();

            KvServer server = new KvServer(luo, listener, inputBudget);
            server.commands(new KvCommands(store, () -> new ServerInfo(name, ProcessHandle.current().pid(), config.port(),
                    live.generation(), server.clientCount(), server.commandsProcessed(), snapshotLoadMillis,
                    server.inputBudget().used(), server.inputBudget().limit(), server.inputBudget().evictions(), server.acceptPauses()),
                    new Admin(config, store, server)));
            for (TcpConnection connection : parts.connections()) {
                server.adopt(connection);
            }
            // the clients waited through the upgrade: they are answered first, then everything is
            // preserved again for the next upgrade (an incoming session must be finished before its
            // files can be preserved anew)
            server.afterFirstRound(() -> {
                for (Session session : parts.incoming()) {
                    session.finish();
                }
                heapSession.open(luo, store.heap().segments());
                luo.createSession(LISTENER_SESSION).preserve(1, listener);
                server.preserveAdopted();
                // plain concatenation: a first String.format costs tens of milliseconds
                System.out.println("kv " + name + ": generation " + live.generation() + ", pid " + ProcessHandle.current().pid() + ", "
                        + store.size() + " keys, " + (store.heap().mapped() >> 20) + " MiB of memfd, " + SERVING + describe(listener));
            });
            // everything is built and registered: after the commit only the serving is left
            live.ready(server); // a successor: the predecessor commits now
            boolean shutDown = server.serve();
            server.close();
            System.out.println("kv " + name + (shutDown ? ": shut down" : ": handed over to its successor"));
        }
    }

    private static boolean hasSnapshot(KvConfig config) {
        return config.snapshot() != null && Files.exists(config.snapshot());
    }

    /** A cold start's store: the snapshot's, when there is one, else a new one. */
    private static KvStore coldStore(KvConfig config, HeapSession heapSession) throws IOException {
        if (hasSnapshot(config)) {
            return KvStore.attach(HeapSnapshot.load(config.name(), config.memory(), config.snapshot(), heapSession::preserve));
        }
        return KvStore.create(SegmentHeap.create(config.name(), config.memory(), heapSession::preserve));
    }

    private static ServerSocketChannel listen(KvConfig config) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        if (config.reusePort()) {
            listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        return listener.bind(new InetSocketAddress(InetAddress.getByName(config.bind()), config.port()), 4096);
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

    /** SAVE and SHUTDOWN for this service. */
    private record Admin(KvConfig config, KvStore store, KvServer server) implements KvAdmin {
        @Override
        public long save() {
            if (config.snapshot() == null) {
                throw new KvError("ERR no snapshot file: start the service with --snapshot FILE to use SAVE");
            }
            try {
                return HeapSnapshot.save(store.heap(), config.snapshot());
            } catch (IOException | LiveUpdateException e) {
                throw new KvError("ERR could not write the snapshot " + config.snapshot() + ": " + e.getMessage());
            }
        }

        @Override
        public boolean savesOnShutdown() {
            return config.snapshot() != null;
        }

        @Override
        public void shutdown() {
            server.requestShutdown();
        }
    }
}
