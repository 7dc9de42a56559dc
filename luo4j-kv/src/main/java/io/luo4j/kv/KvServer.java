package io.luo4j.kv;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.kv.resp.RespParser;
import io.luo4j.kv.resp.RespWriter;
import io.luo4j.kv.store.KvError;
import io.luo4j.linux.OpenFileLimit;
import io.luo4j.linux.ServingPause;
import io.luo4j.linux.TcpConnection;
import io.luo4j.linux.UpgradeHooks;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The kv service's event loop: one thread, one selector, every client (as Redis). Each accepted
 * connection is preserved at once in a session of its own ("conn-N"); closing the connection
 * closes the session.
 *
 * <p>For an upgrade it {@linkplain #stopTakingWork() stops taking work}: the loop finishes the
 * round it is in (so every complete command has run and its reply is buffered), records each
 * connection's half-read input and unwritten output on its {@link TcpConnection}, and parks. A
 * rollback {@linkplain #takeWorkAgain() resumes} it where it was; a commit
 * {@linkplain #successorServes() ends} it, clients untouched (they are the successor's now); a
 * successor {@linkplain #adopt adopts} the connections with what they carried, sends the owed
 * replies first, then runs the half-read commands as the rest arrives.
 *
 * <h2>What no client can do to it</h2>
 * <ul>
 *   <li><b>Exhaust its descriptors.</b> When accepting fails (EMFILE at the open-file limit; also
 *       when preserving the new connection needs a descriptor it cannot have), the loop stops
 *       accepting: the pending connections wait in the listen backlog, the connected clients are
 *       served, and accepting resumes after {@value #ACCEPT_PAUSE_MILLIS} ms or as soon as a client
 *       leaves. The warning is logged at most every {@value #WARNING_INTERVAL_MILLIS} ms.</li>
 *   <li><b>Exhaust its heap with half-sent commands.</b> A client's partial command is buffered
 *       ({@link ClientInput}; up to {@value RespParser#MAX_BULK} bytes and a little more each);
 *       all clients' buffers together stay within a budget (by default a quarter of the heap).
 *       A buffer that would grow past it closes the client that holds the most (an ENOBUFS error
 *       is written first, if its socket takes it): another client when it holds more than the
 *       growing one would, else the growing one itself. The others are served on.</li>
 *   <li><b>Fail the process with its own failure.</b> An IOException on a connection, or an
 *       OutOfMemoryError or unexpected exception while serving it, closes that connection and is
 *       logged; the loop serves on.</li>
 * </ul>
 */
final class KvServer implements UpgradeHooks {
    private static final System.Logger LOG = System.getLogger("io.luo4j.kv");
    /** The smallest input buffer a client gets, and its reply buffer's first size. */
    private static final int INITIAL_BUFFER = 16 * 1024;
    /** The buffer a client with no partial command reads into: one for all of them. */
    private static final int READ_CHUNK = 64 * 1024;
    /** At most this much per read into a client's own buffer (the JDK copies each read through a direct buffer of its size). */
    private static final int MOST_PER_READ = 1 << 20;
    /** A client's largest input buffer: one command with the largest bulk string. */
    static final int MAX_INPUT = RespParser.MAX_BULK + (1 << 20);
    private static final int MAX_OUTPUT = 256 << 20;
    static final long ACCEPT_PAUSE_MILLIS = 100;
    static final long WARNING_INTERVAL_MILLIS = 10_000;

    private final LiveUpdateOrchestrator orchestrator;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final SelectionKey acceptKey;
    private final Map<SelectionKey, Client> clients = new HashMap<>();
    private final ServingPause pause;
    private final ClientInput.Budget budget;
    private final ByteBuffer shared = ByteBuffer.allocate(READ_CHUNK);
    private final RateLimitedLog acceptWarnings = new RateLimitedLog(LOG, WARNING_INTERVAL_MILLIS);
    private final RateLimitedLog budgetWarnings = new RateLimitedLog(LOG, WARNING_INTERVAL_MILLIS);
    private final RateLimitedLog heapWarnings = new RateLimitedLog(LOG, WARNING_INTERVAL_MILLIS);
    private final RateLimitedLog connectionWarnings = new RateLimitedLog(LOG, WARNING_INTERVAL_MILLIS);
    /**
     * The open file limit when serving began; reading it here also loads what reading it takes,
     * which at the limit could not be loaded (a class file is a descriptor too).
     */
    private final long openFileLimitAtStart = OpenFileLimit.current();
    private KvCommands commands;
    private long nextConnection;
    private long commandsProcessed;
    private Runnable afterFirstRound;
    private boolean shutdownRequested;
    /** Accepting is paused (the listener's interest dropped) until then, or until a client leaves. */
    private boolean acceptPaused;
    private long acceptResumes;
    private long acceptPauses;

    /** One client and what it has in flight. */
    private static final class Client {
        final TcpConnection connection;
        /** Null for a connection taken over and not preserved again yet. */
        Session session;
        final ClientInput input;
        final RespParser parser = new RespParser();
        final RespWriter output = new RespWriter(INITIAL_BUFFER);
        boolean closeAfterWrite;

        Client(TcpConnection connection, Session session, ClientInput.Budget budget) {
            this.connection = connection;
            this.session = session;
            this.input = new ClientInput(budget);
        }
    }

    /**
     * A server on {@code listener}; {@code inputBudget} bytes for all clients' half-sent commands
     * together (0: {@link #defaultInputBudget()}).
     */
    KvServer(LiveUpdateOrchestrator orchestrator, ServerSocketChannel listener, long inputBudget) throws IOException {
        this.orchestrator = orchestrator;
        this.listener = listener;
        this.budget = new ClientInput.Budget(inputBudget > 0 ? inputBudget : defaultInputBudget());
        this.selector = Selector.open();
        this.pause = new ServingPause(selector::wakeup);
        listener.configureBlocking(false);
        acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** A quarter of the heap, and at least one largest command. */
    static long defaultInputBudget() {
        return Math.max(Runtime.getRuntime().maxMemory() / 4, MAX_INPUT);
    }

    void commands(KvCommands commands) {
        this.commands = commands;
    }

    int clientCount() {
        return clients.size();
    }

    long commandsProcessed() {
        return commandsProcessed;
    }

    /** How many times accepting failed and paused. */
    long acceptPauses() {
        return acceptPauses;
    }

    /** The input budget: its limit, what is used, clients closed over it. */
    ClientInput.Budget inputBudget() {
        return budget;
    }

    /**
     * Takes over a connection from the predecessor, with its owed replies and half-read input. It
     * is served at once and preserved again by {@link #preserveAdopted()} (after the incoming
     * session that held it is finished).
     */
    void adopt(TcpConnection connection) throws IOException {
        Client client = register(connection, null);
        client.output.append(connection.unwritten());
        ByteBuffer unread = connection.unread();
        if (unread.hasRemaining()) {
            client.input.resize(Math.max(INITIAL_BUFFER, unread.remaining())); // the predecessor held it within its budget
            client.input.append(unread);
        }
    }

    /** Preserves every adopted connection in a session of its own, ready for the next upgrade. */
    void preserveAdopted() {
        for (Client client : clients.values()) {
            if (client.session == null) {
                client.session = preserved(client.connection);
            }
        }
    }

    /** Runs {@code task} once, on the loop, after the first round of I/O: what can wait for the clients' replies. */
    void afterFirstRound(Runnable task) {
        this.afterFirstRound = task;
    }

    /** A session that preserves {@code connection}; nothing is left behind when that fails (EMFILE: preserving takes a descriptor). */
    private Session preserved(TcpConnection connection) {
        Session session = orchestrator.createSession("conn-" + nextConnection++);
        try {
            session.preserve(1, connection);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /** Starts reading from a connection; {@code session} is where it is preserved (null: not yet). */
    private Client register(TcpConnection connection, Session session) throws IOException {
        connection.channel().configureBlocking(false);
        SelectionKey key = connection.channel().register(selector, SelectionKey.OP_READ);
        Client client = new Client(connection, session, budget);
        clients.put(key, client);
        return client;
    }

    /** Asks the loop to stop after this round (SHUTDOWN): see {@link #serve()}. */
    void requestShutdown() {
        shutdownRequested = true;
    }

    /**
     * Serves until SHUTDOWN (it stops accepting, answers what every client has sent, closes them
     * all, and returns true) or until a successor serves (it returns false at once: the listener and
     * every client are the successor's now).
     */
    boolean serve() throws IOException {
        for (Map.Entry<SelectionKey, Client> entry : Map.copyOf(clients).entrySet()) {
            serve(entry.getKey(), entry.getValue(), false); // what the predecessor left in flight
        }
        boolean firstRound = true;
        while (pause.parkIfRequested(this::recordInFlight)) {
            if (firstRound) {
                selector.selectNow(); // the requests that queued up during the upgrade, at once
            } else if (acceptPaused) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(acceptResumes - System.nanoTime())));
            } else {
                selector.select();
            }
            for (SelectionKey key : selector.selectedKeys()) {
                if (!key.isValid()) {
                    continue; // closed earlier in this round
                }
                if (key == acceptKey) {
                    accept();
                    continue;
                }
                Client client = clients.get(key);
                if (client != null) {
                    serve(key, client, key.isReadable());
                }
            }
            selector.selectedKeys().clear();
            if (acceptPaused && System.nanoTime() - acceptResumes >= 0) {
                resumeAccepting();
            }
            if (shutdownRequested) {
                drain();
                return true;
            }
            if (firstRound) {
                firstRound = false;
                if (afterFirstRound != null) {
                    afterFirstRound.run();
                    afterFirstRound = null;
                }
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- accepting

    /** Accepts every pending connection, or pauses accepting when that fails. */
    private void accept() {
        while (!acceptPaused) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException | OutOfMemoryError e) {
                pauseAccepting(e); // EMFILE, ENFILE, ENOBUFS, ENOMEM: the connection stays in the backlog
                return;
            }
            if (channel == null) {
                return;
            }
            Client client = null;
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                TcpConnection connection = TcpConnection.of(channel);
                client = register(connection, null);
                client.session = preserved(connection);
            } catch (IOException | RuntimeException | LinkageError | OutOfMemoryError e) {
                if (client != null) {
                    close(clientKey(client), client);
                } else {
                    closeQuietly(channel);
                }
                if (outOfDescriptors(e) || e instanceof OutOfMemoryError) {
                    pauseAccepting(e); // accepted, but preserving it needs a descriptor (or heap) there is none of
                    return;
                }
                connectionWarnings.warn(() -> "closed a connection that failed as it was accepted: " + reason(e), null);
            }
        }
    }

    private void pauseAccepting(Throwable cause) {
        acceptKey.interestOps(0);
        acceptPaused = true;
        acceptPauses++;
        acceptResumes = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACCEPT_PAUSE_MILLIS);
        acceptWarnings.warn(() -> "cannot accept connections: " + reason(cause) + "; " + clients.size()
                + " clients connected, open file limit " + openFileLimit() + "; serving them and accepting again in "
                + ACCEPT_PAUSE_MILLIS + " ms or when one leaves", null);
    }

    private void resumeAccepting() {
        if (acceptPaused && acceptKey.isValid()) {
            acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        acceptPaused = false;
    }

    private String openFileLimit() {
        try {
            return Long.toString(OpenFileLimit.current());
        } catch (RuntimeException | LinkageError e) {
            return "unknown (" + openFileLimitAtStart + " when serving began)";
        }
    }

    private static boolean outOfDescriptors(Throwable e) {
        Errno errno = errnoOf(e);
        return errno == Errno.EMFILE || errno == Errno.ENFILE;
    }

    /** The errno behind {@code e}: a LiveUpdateException's reason, or an IOException's strerror text; null when neither says. */
    private static Errno errnoOf(Throwable e) {
        if (e instanceof LiveUpdateException live) {
            return live.reason();
        }
        if (e instanceof IOException && e.getMessage() != null) {
            for (Errno errno : Errno.values()) {
                if (e.getMessage().equals(errno.description())) {
                    return errno;
                }
            }
        }
        return null;
    }

    /** What went wrong, errno first when there is one: "EMFILE (Too many open files)". */
    private static String reason(Throwable e) {
        Errno errno = errnoOf(e);
        if (errno != null && !(e instanceof LiveUpdateException)) {
            return errno + " (" + e.getMessage() + ")";
        }
        return e instanceof LiveUpdateException || e instanceof IOException ? String.valueOf(e.getMessage()) : e.toString();
    }

    // ---------------------------------------------------------------- serving one client

    /**
     * Reads what arrived (when {@code readable}), runs every complete command, writes what the
     * socket takes. Whatever fails here is this client's failure: it is closed, the loop goes on.
     */
    private void serve(SelectionKey key, Client client, boolean readable) {
        try {
            ByteBuffer in;
            if (!readable) {
                in = client.input.pending();
            } else if (client.input.isEmpty()) {
                in = readShared(key, client);
            } else {
                in = readOwn(key, client);
            }
            if (in == null) {
                return; // closed
            }
            run(client, in);
            if (in == shared) {
                if (shared.hasRemaining() && !client.closeAfterWrite && !keep(key, client, shared)) {
                    return; // refused: closed
                }
            } else {
                client.input.settle(INITIAL_BUFFER);
            }
            flush(key, client);
        } catch (OutOfMemoryError e) {
            int held = client.input.capacity();
            close(key, client); // its buffers go with it
            heapWarnings.warn(() -> "closed a client: the heap ran out while serving it (" + e.getMessage() + ", "
                    + Runtime.getRuntime().maxMemory() + " bytes of heap; it held " + held + " bytes of input); "
                    + clients.size() + " clients are served on", null);
        } catch (RuntimeException | LinkageError e) {
            // a bug, or a class that could not be loaded (from a class directory, at the descriptor limit)
            close(key, client);
            connectionWarnings.warn(() -> "closed a client: serving it failed unexpectedly: " + e, e);
        }
    }

    /** Reads into the shared buffer (the client has no partial command); null when the client is gone. */
    private ByteBuffer readShared(SelectionKey key, Client client) {
        shared.clear();
        if (readFrom(key, client, () -> client.connection.channel().read(shared)) < 0) {
            return null;
        }
        return shared.flip();
    }

    /** Reads into the client's own buffer, after its partial command; null when the client is gone. */
    private ByteBuffer readOwn(SelectionKey key, Client client) {
        ClientInput input = client.input;
        if (input.isFull() && !input.compact()) {
            if (input.capacity() >= MAX_INPUT) {
                close(key, client);
                connectionWarnings.warn(() -> "closed a client whose command does not fit in " + MAX_INPUT + " bytes", null);
                return null;
            }
            int grown = (int) Math.min(MAX_INPUT, Math.max(INITIAL_BUFFER, 2L * input.capacity()));
            if (!reserve(key, client, grown)) {
                return null;
            }
            input.resize(grown);
        }
        if (readFrom(key, client, () -> input.readFrom(client.connection.channel(), MOST_PER_READ)) < 0) {
            return null;
        }
        return input.pending();
    }

    private interface Read {
        int read() throws IOException;
    }

    /** A read's count; -1, the client closed, when the peer has gone (end of stream, or an IOException: reset). */
    private int readFrom(SelectionKey key, Client client, Read read) {
        int n;
        try {
            n = read.read();
        } catch (IOException e) {
            n = -1; // reset by the peer: as good as closed
        }
        if (n < 0) {
            close(key, client);
        }
        return n;
    }

    /** Keeps the partial command left in the shared buffer in the client's own; false when the budget refused it (closed). */
    private boolean keep(SelectionKey key, Client client, ByteBuffer partial) {
        int capacity = Math.max(INITIAL_BUFFER, partial.remaining());
        if (!reserve(key, client, capacity)) {
            return false;
        }
        client.input.resize(capacity);
        client.input.append(partial);
        return true;
    }

    /**
     * Makes room in the budget for {@code client}'s input buffer to hold {@code capacity} bytes:
     * while it does not fit, closes the client holding the most when that one holds more than
     * {@code client} would, else refuses {@code client} (closes it). False when {@code client} was
     * refused.
     */
    private boolean reserve(SelectionKey key, Client client, int capacity) {
        long more = (long) capacity - client.input.capacity();
        if (more <= 0) {
            return true;
        }
        while (!budget.fits(more)) {
            Map.Entry<SelectionKey, Client> greediest = null;
            for (Map.Entry<SelectionKey, Client> entry : clients.entrySet()) {
                if (entry.getValue() != client
                        && (greediest == null || entry.getValue().input.capacity() > greediest.getValue().input.capacity())) {
                    greediest = entry;
                }
            }
            if (greediest == null || greediest.getValue().input.capacity() <= capacity) {
                evict(key, client, capacity);
                return false;
            }
            evict(greediest.getKey(), greediest.getValue(), greediest.getValue().input.capacity());
        }
        return true;
    }

    /** Closes a client over the input budget, telling it why (ENOBUFS) when its socket takes the line. */
    private void evict(SelectionKey key, Client client, int wanted) {
        long used = budget.used();
        String message = "ERR ENOBUFS: the server's buffers for half-sent commands are full (" + used + " of " + budget.limit()
                + " bytes) and this client's is the largest (" + wanted + " bytes); closing the connection";
        client.output.error(message);
        ByteBuffer output = client.output.buffer().flip();
        try {
            client.connection.channel().write(output);
        } catch (IOException | RuntimeException e) {
            // closing it anyway
        }
        output.compact();
        close(key, client);
        budget.evicted();
        budgetWarnings.warn(() -> "closed a client holding " + wanted + " bytes of a half-sent command: the input budget is "
                + budget.limit() + " bytes (" + used + " in use; --input-budget), evicted " + budget.evictions() + " so far", null);
    }

    /** Runs every complete command in {@code in} (the client's partial command stays, from its first byte). */
    private void run(Client client, ByteBuffer in) {
        try {
            while (!client.closeAfterWrite) {
                List<byte[]> command = client.parser.next(in);
                if (command == null) {
                    break;
                }
                commandsProcessed++;
                client.closeAfterWrite = !commands.execute(command, client.output);
            }
        } catch (KvError protocolError) {
            client.output.error(protocolError.getMessage());
            client.closeAfterWrite = true;
        }
    }

    private void flush(SelectionKey key, Client client) {
        ByteBuffer output = client.output.buffer().flip();
        try {
            client.connection.channel().write(output);
        } catch (IOException e) {
            output.compact();
            close(key, client);
            return;
        }
        output.compact();
        if (output.position() > MAX_OUTPUT) {
            LOG.log(Level.WARNING, "closing a client that reads nothing: " + output.position() + " bytes of replies wait");
            close(key, client);
        } else if (output.position() > 0) {
            // a client that is to be closed is read no more: only its last replies are written
            key.interestOps(client.closeAfterWrite ? SelectionKey.OP_WRITE : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else if (client.closeAfterWrite) {
            close(key, client);
        } else {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private SelectionKey clientKey(Client client) {
        return client.connection.channel().keyFor(selector);
    }

    /** Closes a client and its session; whatever fails in closing is logged, the client is gone regardless. */
    private void close(SelectionKey key, Client client) {
        if (key != null) {
            key.cancel();
            clients.remove(key);
        }
        client.input.release();
        try {
            if (client.session != null) {
                client.session.close(); // unpreserves the connection
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            connectionWarnings.warn(() -> "could not close a client's session: " + reason(e), e);
        }
        closeQuietly(client.connection.channel());
        if (acceptPaused) {
            resumeAccepting(); // a descriptor is free again
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the descriptor is released all the same
        }
    }

    /** Stops accepting, runs every client's complete commands, writes every reply (5 s at most), closes. */
    private void drain() throws IOException {
        acceptKey.cancel();
        listener.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (Map.Entry<SelectionKey, Client> entry : Map.copyOf(clients).entrySet()) {
            SelectionKey key = entry.getKey();
            Client client = entry.getValue();
            if (key.isValid()) {
                serve(key, client, true);
            }
            while (clients.containsKey(key) && client.output.buffer().position() > 0 && System.nanoTime() < deadline) {
                flush(key, client);
                LockSupport.parkNanos(100_000);
            }
            if (clients.containsKey(key)) {
                close(key, client);
            }
        }
    }

    /** Closes the selector (the channels are the caller's). */
    void close() throws IOException {
        selector.close();
    }

    // ---------------------------------------------------------------- upgrade hooks

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

    /**
     * The successor served for a while and died in its grace period: the store is read anew from
     * the shared heap (it holds the successor's writes), and what each client had in flight was
     * handed to the successor and used: it is dropped. Then the loop serves on.
     */
    @Override
    public void takeServiceBack() {
        commands.reattachStore();
        for (Client client : clients.values()) {
            client.input.release();
            client.parser.reset();
            client.output.buffer().clear();
        }
        pause.resume();
    }

    /** Records what every client has in flight on its connection, for the freeze. */
    private void recordInFlight() {
        for (Client client : clients.values()) {
            client.connection.setUnread(client.input.pending().duplicate());
            client.connection.setUnwritten(client.output.buffer().duplicate().flip());
        }
    }
}
