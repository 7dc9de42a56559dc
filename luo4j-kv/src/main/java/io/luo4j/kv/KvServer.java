package io.luo4j.kv;

import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.kv.resp.RespParser;
import io.luo4j.kv.resp.RespWriter;
import io.luo4j.kv.store.KvError;
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
 */
final class KvServer implements UpgradeHooks {
    private static final System.Logger LOG = System.getLogger("io.luo4j.kv");
    private static final int INITIAL_BUFFER = 16 * 1024;
    private static final int MAX_INPUT = RespParser.MAX_BULK + (1 << 20);
    private static final int MAX_OUTPUT = 256 << 20;

    private final LiveUpdateOrchestrator orchestrator;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final SelectionKey acceptKey;
    private final Map<SelectionKey, Client> clients = new HashMap<>();
    private final ServingPause pause;
    private KvCommands commands;
    private long nextConnection;
    private long commandsProcessed;
    private Runnable afterFirstRound;
    private boolean shutdownRequested;

    /** One client and what it has in flight. */
    private static final class Client {
        final TcpConnection connection;
        /** Null for a connection taken over and not preserved again yet. */
        Session session;
        ByteBuffer input = ByteBuffer.allocate(INITIAL_BUFFER);
        final RespWriter output = new RespWriter(INITIAL_BUFFER);
        /** Where the client's partial command was left: it resumes there as the rest arrives. */
        final RespParser parser = new RespParser();
        boolean closeAfterWrite;

        Client(TcpConnection connection, Session session) {
            this.connection = connection;
            this.session = session;
        }
    }

    KvServer(LiveUpdateOrchestrator orchestrator, ServerSocketChannel listener) throws IOException {
        this.orchestrator = orchestrator;
        this.listener = listener;
        this.selector = Selector.open();
        this.pause = new ServingPause(selector::wakeup);
        listener.configureBlocking(false);
        acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT);
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

    /**
     * Takes over a connection from the predecessor, with its owed replies and half-read input. It
     * is served at once and preserved again by {@link #preserveAdopted()} (after the incoming
     * session that held it is finished).
     */
    void adopt(TcpConnection connection) throws IOException {
        Client client = register(connection, null);
        client.output.append(connection.unwritten());
        client.input.put(connection.unread());
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

    private Session preserved(TcpConnection connection) {
        Session session = orchestrator.createSession("conn-" + nextConnection++);
        session.preserve(1, connection);
        return session;
    }

    /** Starts reading from a connection; {@code session} is where it is preserved (null: not yet). */
    private Client register(TcpConnection connection, Session session) throws IOException {
        connection.channel().configureBlocking(false);
        SelectionKey key = connection.channel().register(selector, SelectionKey.OP_READ);
        Client client = new Client(connection, session);
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
            handle(entry.getKey(), entry.getValue()); // what the predecessor left in flight
        }
        boolean firstRound = true;
        while (pause.parkIfRequested(this::recordInFlight)) {
            if (firstRound) {
                selector.selectNow(); // the requests that queued up during the upgrade, at once
            } else {
                selector.select();
            }
            for (SelectionKey key : selector.selectedKeys()) {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    accept();
                    continue;
                }
                Client client = clients.get(key);
                if (key.isReadable() && !read(key, client)) {
                    continue;
                }
                handle(key, client);
            }
            selector.selectedKeys().clear();
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

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            TcpConnection connection = TcpConnection.of(channel);
            register(connection, preserved(connection));
        }
    }

    /** Reads what arrived; false when the client is gone. */
    private boolean read(SelectionKey key, Client client) throws IOException {
        if (!client.input.hasRemaining()) {
            if (client.input.capacity() >= MAX_INPUT) {
                close(key, client);
                return false;
            }
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_INPUT, client.input.capacity() * 2));
            client.input.flip();
            bigger.put(client.input);
            client.input = bigger;
        }
        int n;
        try {
            n = client.connection.channel().read(client.input);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            close(key, client);
            return false;
        }
        return true;
    }

    /** Runs every complete command in the client's input and writes what the socket takes. */
    private void handle(SelectionKey key, Client client) throws IOException {
        ByteBuffer input = client.input.flip();
        try {
            while (!client.closeAfterWrite) {
                List<byte[]> command = client.parser.next(input);
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
        input.compact();
        flush(key, client);
    }

    private void flush(SelectionKey key, Client client) throws IOException {
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
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        } else if (client.closeAfterWrite) {
            close(key, client);
        } else {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private void close(SelectionKey key, Client client) throws IOException {
        key.cancel();
        clients.remove(key);
        if (client.session != null) {
            client.session.close(); // unpreserves the connection
        }
        client.connection.close();
    }

    /** Stops accepting, runs every client's complete commands, writes every reply (5 s at most), closes. */
    private void drain() throws IOException {
        acceptKey.cancel();
        listener.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (Map.Entry<SelectionKey, Client> entry : Map.copyOf(clients).entrySet()) {
            SelectionKey key = entry.getKey();
            Client client = entry.getValue();
            if (key.isValid() && read(key, client)) {
                handle(key, client);
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

    /** Records what every client has in flight on its connection, for the freeze. */
    private void recordInFlight() {
        for (Client client : clients.values()) {
            client.connection.setUnread(client.input.duplicate().flip());
            client.connection.setUnwritten(client.output.buffer().duplicate().flip());
        }
    }
}
