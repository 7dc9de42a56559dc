package io.luo4j.linux.testservice;

import io.luo4j.Errno;
import io.luo4j.FileHandler;
import io.luo4j.FileOpArgs;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.LiveUpdate;
import io.luo4j.linux.Memfd;
import io.luo4j.linux.ServingPause;
import io.luo4j.linux.TcpConnection;
import io.luo4j.linux.UpgradeHooks;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The service the integration tests upgrade: a line protocol over TCP on a preserved listener, one
 * session per connection, and its state in a preserved memfd (a counter at offset 0, a pattern on
 * every page). It is built only on luo4j's public API, as any service would be.
 *
 * <p>Commands: PING, INCR (counter + 1), GET (counter), SUM (checksum of the memfd), INODE (memfd
 * inode), GEN (generation), PID, FDS (this process's descriptor targets), PENDING (bytes read but
 * not yet handled, over all connections), FAILFREEZE (the next freeze fails), QUIT. Each reply is
 * one line.
 *
 * <p>As a successor it obeys TEST_SUCCESSOR_FAULT: exit-before-connect, exit-after-image,
 * exit-before-ready or hang, each at the point its name says; pause-before-connect and
 * pause-before-ready wait there until the file TEST_RELEASE_FILE exists.
 */
public final class TestService implements UpgradeHooks {
    private static final String FAULT = System.getenv().getOrDefault("TEST_SUCCESSOR_FAULT", "");
    private static final boolean SUCCESSOR = System.getenv("LUO4J_HANDOVER_SOCKET") != null;

    private final LiveUpdate live;
    private final LiveUpdateOrchestrator luo;
    private final Selector selector = Selector.open();
    private final Map<SelectionKey, Connection> connections = new HashMap<>();
    private final FaultSwitch faultSwitch;
    private final ServingPause pause = new ServingPause(selector::wakeup);
    private long nextConnection;
    private Memfd state;
    private ServerSocketChannel listener;
    /** Held so that it stays open (a dropped channel is closed by its cleaner). */
    private FileChannel notPreserved;

    /** One client: its channel, its session, and the bytes of an unfinished line. */
    private static final class Connection {
        final TcpConnection tcp;
        final Session session;
        final ByteBuffer pending = ByteBuffer.allocate(64 * 1024);

        Connection(TcpConnection tcp, Session session) {
            this.tcp = tcp;
            this.session = session;
        }
    }

    /** The object the fault handler preserves; armed, its freeze fails. */
    static final class FaultSwitch {
        final AtomicBoolean armed = new AtomicBoolean();
    }

    static FileHandler faultHandler() {
        return new FileHandler() {
            @Override
            public String compatible() {
                return "test-fault-v1";
            }

            @Override
            public boolean canPreserve(Object file) {
                return file instanceof FaultSwitch;
            }

            @Override
            public void preserve(FileOpArgs args) {}

            @Override
            public void freeze(FileOpArgs args) {
                if (((FaultSwitch) args.file()).armed.getAndSet(false)) {
                    throw new LiveUpdateException(Errno.EIO, "test service: injected freeze failure");
                }
            }

            @Override
            public void unpreserve(FileOpArgs args) {}

            @Override
            public void retrieve(FileOpArgs args) {
                args.setFile(new FaultSwitch());
            }

            @Override
            public void finish(FileOpArgs args) {}
        };
    }

    private TestService(String name, int port, long memfdBytes, Path unpreservedFile) throws IOException {
        if (SUCCESSOR && FAULT.equals("exit-before-connect")) {
            System.exit(3);
        }
        if (SUCCESSOR && FAULT.equals("pause-before-connect")) {
            awaitRelease();
        }
        live = LiveUpdate.builder(name).identity("port=" + port + " memfd-bytes=" + memfdBytes).handler(faultHandler()).start();
        luo = live.orchestrator();
        if (unpreservedFile != null && !live.isSuccessor()) {
            // opened and never preserved: it must not reach the successor
            notPreserved = FileChannel.open(unpreservedFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        if (live.isSuccessor()) {
            if (FAULT.equals("exit-after-image")) {
                System.exit(4);
            }
            faultSwitch = takeOver();
        } else {
            state = Memfd.create(name + "-state", memfdBytes);
            fill(state.segment());
            listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            faultSwitch = new FaultSwitch();
        }
        luo.createSession("state").preserve(1, state);
        luo.createSession("listener").preserve(1, listener);
        luo.createSession("fault").preserve(1, faultSwitch);
        for (Connection connection : connections.values()) {
            connection.session.preserve(1, connection.tcp);
        }
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        if (!live.isSuccessor()) {
            live.ready(this);
        }
        System.out.println("test service " + name + " pid " + ProcessHandle.current().pid() + " generation " + live.generation()
                + " serves on port " + ((InetSocketAddress) listener.getLocalAddress()).getPort());
    }

    /** The successor's start: retrieve everything, report ready, wait for the commit, finish. */
    private FaultSwitch takeOver() throws IOException {
        List<Session> incoming = new ArrayList<>();
        Session stateSession = luo.retrieveSession("state");
        state = stateSession.retrieve(1, Memfd.class);
        Session listenerSession = luo.retrieveSession("listener");
        listener = listenerSession.retrieve(1, ServerSocketChannel.class);
        Session faultSession = luo.retrieveSession("fault");
        FaultSwitch retrievedSwitch = faultSession.retrieve(1, FaultSwitch.class);
        incoming.add(stateSession);
        incoming.add(listenerSession);
        incoming.add(faultSession);
        List<TcpConnection> retrieved = new ArrayList<>();
        for (String name : luo.incomingSessionNames()) {
            if (name.startsWith("conn-")) {
                Session session = luo.retrieveSession(name);
                retrieved.add(session.retrieve(1, TcpConnection.class));
                incoming.add(session);
                nextConnection = Math.max(nextConnection, Long.parseLong(name.substring(5)) + 1);
            }
        }
        if (FAULT.equals("exit-before-ready")) {
            System.exit(5);
        }
        if (FAULT.equals("pause-before-ready")) {
            awaitRelease();
        }
        if (FAULT.equals("hang")) {
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException ignored) {
                    // hang on
                }
            }
        }
        live.ready(this);
        for (Session session : incoming) {
            session.finish();
        }
        for (TcpConnection tcp : retrieved) {
            Connection connection = register(tcp, luo.createSession("conn-" + nextConnection++), false);
            connection.pending.put(tcp.unread());
        }
        return retrievedSwitch;
    }

    /** Waits until the file TEST_RELEASE_FILE exists: lets a test act at a chosen point of the handover. */
    private static void awaitRelease() {
        Path release = Path.of(System.getenv("TEST_RELEASE_FILE"));
        System.out.println("successor " + ProcessHandle.current().pid() + " paused (" + FAULT + ")");
        while (!Files.exists(release)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void fill(MemorySegment memory) {
        for (long page = 0; page * 4096 + 8 <= memory.byteSize(); page++) {
            memory.set(ValueLayout.JAVA_LONG_UNALIGNED, page * 4096, page * 31 + 7);
        }
        if (memory.byteSize() >= 8) {
            memory.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 0); // the counter
        }
    }

    private Connection register(TcpConnection tcp, Session session, boolean preserve) throws IOException {
        if (preserve) {
            session.preserve(1, tcp);
        }
        tcp.channel().configureBlocking(false);
        SelectionKey key = tcp.channel().register(selector, SelectionKey.OP_READ);
        Connection connection = new Connection(tcp, session);
        connections.put(key, connection);
        return connection;
    }

    /** Serves until a successor serves instead. */
    private void serve() throws IOException {
        for (Connection connection : List.copyOf(connections.values())) {
            handleLines(connection); // unread bytes carried over from the predecessor
        }
        while (pause.parkIfRequested(this::recordUnfinishedLines)) {
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    accept();
                } else if (key.isReadable()) {
                    read(key);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private void accept() throws IOException {
        var channel = listener.accept();
        while (channel != null) {
            register(TcpConnection.of(channel), luo.createSession("conn-" + nextConnection++), true);
            channel = listener.accept();
        }
    }

    private void read(SelectionKey key) throws IOException {
        Connection connection = connections.get(key);
        int n;
        try {
            n = connection.tcp.channel().read(connection.pending);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            close(key, connection);
            return;
        }
        handleLines(connection);
    }

    private void handleLines(Connection connection) throws IOException {
        ByteBuffer pending = connection.pending;
        pending.flip();
        int start = pending.position();
        for (int i = pending.position(); i < pending.limit(); i++) {
            if (pending.get(i) == '\n') {
                String line = StandardCharsets.UTF_8.decode(pending.slice(start, i - start)).toString().trim();
                start = i + 1;
                String reply = execute(line);
                if (reply == null) {
                    connection.tcp.close();
                    return;
                }
                writeFully(connection, reply + "\n");
            }
        }
        pending.position(start);
        pending.compact();
    }

    private String execute(String line) {
        String[] words = line.split(" ");
        return switch (words[0]) {
            case "PING" -> "PONG";
            case "INCR" -> {
                long value = state.getLong(0) + 1;
                state.putLong(0, value);
                yield Long.toString(value);
            }
            case "GET" -> Long.toString(state.getLong(0));
            case "SUM" -> Long.toString(state.checksum());
            case "INODE" -> Long.toString(state.inode());
            case "SIZE" -> Long.toString(state.size());
            case "GEN" -> Long.toString(live.generation());
            case "PID" -> Long.toString(ProcessHandle.current().pid());
            case "FDS" -> descriptorTargets();
            case "PENDING" -> Long.toString(pendingBytes());
            case "FAILFREEZE" -> {
                faultSwitch.armed.set(true);
                yield "ARMED";
            }
            case "QUIT" -> null;
            default -> "ERR unknown command " + words[0];
        };
    }

    /** Bytes read from clients and not yet handled (unfinished lines), over every connection. */
    private long pendingBytes() {
        long pending = 0;
        for (Connection connection : connections.values()) {
            pending += connection.pending.position();
        }
        return pending;
    }

    private static String descriptorTargets() {
        StringBuilder targets = new StringBuilder();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    targets.append(Files.readSymbolicLink(fd)).append(' ');
                } catch (IOException ignored) {
                    // the listing's own descriptor is gone already
                }
            }
        } catch (IOException e) {
            return "ERR " + e;
        }
        return targets.toString().trim();
    }

    private static void writeFully(Connection connection, String reply) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            connection.tcp.channel().write(bytes);
        }
    }

    private void close(SelectionKey key, Connection connection) throws IOException {
        key.cancel();
        connections.remove(key);
        connection.session.close(); // unpreserves the connection
        connection.tcp.close();
    }

    // ---------------------------------------------------------------- the upgrade hooks

    @Override
    public void stopTakingWork() {
        pause.pause();
    }

    @Override
    public void takeWorkAgain() {
        pause.resume();
    }

    @Override
    public void successorServes() {
        pause.handOver();
    }

    /** The successor died in its grace period: its state is in the memfd already; the unfinished lines were its. */
    @Override
    public void takeServiceBack() {
        for (Connection connection : connections.values()) {
            connection.pending.clear();
        }
        pause.resume();
    }

    /** Records every unfinished line on its connection, for the freeze. */
    private void recordUnfinishedLines() {
        for (Connection connection : connections.values()) {
            connection.tcp.setUnread(connection.pending.duplicate().flip());
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String unpreserved = options.get("--unpreserved-file");
        new TestService(options.getOrDefault("--name", "test"), Integer.parseInt(options.getOrDefault("--port", "0")),
                Long.parseLong(options.getOrDefault("--memfd-bytes", "65536")), unpreserved == null ? null : Path.of(unpreserved)).serve();
        System.exit(0); // handed over: the successor serves; this process is done
    }
}
