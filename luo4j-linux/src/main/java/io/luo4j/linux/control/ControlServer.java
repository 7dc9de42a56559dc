package io.luo4j.linux.control;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.JdkChannels;
import io.luo4j.linux.internal.Libc;
import io.luo4j.linux.internal.PeerCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A service's control socket: takes {@code status}, {@code upgrade} and {@code ping} requests from
 * luoctl (see {@link ControlProtocol}), asks its {@link ControlTarget} once per request and writes
 * the answer. Only a peer running under the service's own uid is served (checked with SO_PEERCRED;
 * the socket is also 0600 in a 0700 directory); anyone else gets EACCES.
 *
 * <p>No client can take the service down through it: a request line is at most
 * {@value #MAX_LINE} bytes (EINVAL past that, nothing buffered beyond it), must arrive within
 * {@value #IDLE_SECONDS} s of connecting (the connection is closed otherwise), and at most
 * {@value #MAX_CLIENTS} connections are served at once (the next ones are answered EAGAIN and
 * closed). When the process is out of descriptors, accepting pauses for a moment and the service
 * goes on.
 *
 * <p>The listening socket itself is preserved across upgrades, so a luoctl that connects during an
 * upgrade waits in the accept queue and is answered by whichever process serves. When an upgrade
 * commits, this server stops accepting at once (what connects from then on is the successor's),
 * answers the requests it has, and then {@linkplain #awaitTermination() terminates}: the service may
 * retire.
 */
public final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux.control");
    static final int MAX_LINE = 64 * 1024;
    static final int IDLE_SECONDS = 10;
    static final int MAX_CLIENTS = 32;
    /** How long accepting pauses when accept fails (out of descriptors, most likely). */
    private static final int ACCEPT_BACKOFF_MILLIS = 100;
    /** Closes connections whose request line is late; one daemon thread for every server. */
    private static final ScheduledExecutorService IDLE_CLOSER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("luo4j-control-idle").factory());

    private final ServerSocketChannel listener;
    private final ControlTarget target;
    private final Selector selector;
    private final Thread acceptor;
    /** The acceptor and every request being answered are parties; termination is all of them gone. */
    private final Phaser inFlight = new Phaser(1);
    private final Semaphore clients = new Semaphore(MAX_CLIENTS);
    private volatile boolean stopped;

    private ControlServer(ServerSocketChannel listener, ControlTarget target) throws IOException {
        this.listener = listener;
        this.target = target;
        this.selector = Selector.open();
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        this.acceptor = Thread.ofPlatform().daemon().name("luo4j-control").unstarted(this::acceptLoop);
    }

    /** Serves {@code listener} (bound, listening) on a thread of its own. */
    public static ControlServer start(ServerSocketChannel listener, ControlTarget target) {
        try {
            ControlServer server = new ControlServer(listener, target);
            server.acceptor.start();
            return server;
        } catch (IOException e) {
            throw new LiveUpdateException(Errno.EIO, "cannot serve the control socket: " + e, e);
        }
    }

    /** Accepts through a selector, so that stopping is a wakeup, not a close under a blocked accept. */
    private void acceptLoop() {
        try {
            while (!stopped) {
                selector.select();
                selector.selectedKeys().clear();
                SocketChannel client;
                while (!stopped && (client = acceptOrPause()) != null) {
                    dispatch(client);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!stopped) {
                LOG.log(Level.WARNING, "the control socket stopped accepting: " + e);
            }
        } finally {
            inFlight.arriveAndDeregister();
        }
    }

    /**
     * The next connection, or null when there is none; when accept fails (most often: this process
     * is out of descriptors), logs it and pauses accepting for a moment instead of ending the loop.
     */
    private SocketChannel acceptOrPause() throws IOException {
        try {
            return listener.accept();
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the control socket cannot accept (" + e.getMessage() + "); pausing "
                    + ACCEPT_BACKOFF_MILLIS + " ms, the service goes on");
            selector.select(ACCEPT_BACKOFF_MILLIS); // woken early only by stop
            selector.selectedKeys().clear();
            return null;
        }
    }

    /** Serves {@code client} on a virtual thread of its own, or refuses it when too many are served. */
    private void dispatch(SocketChannel client) throws IOException {
        client.configureBlocking(true);
        if (!clients.tryAcquire()) {
            try {
                answer(writer(client), StatusReport.refusal(Errno.EAGAIN, "refused: EAGAIN: " + MAX_CLIENTS
                        + " control connections are being served; try again"));
            } finally {
                closeGently(client);
            }
            return;
        }
        inFlight.register();
        ScheduledFuture<?> idle = IDLE_CLOSER.schedule(() -> closeQuietly(client), IDLE_SECONDS, TimeUnit.SECONDS);
        Thread.ofVirtual().name("luo4j-control-client").start(() -> {
            try {
                serve(client, idle);
            } finally {
                clients.release();
                inFlight.arriveAndDeregister();
            }
        });
    }

    private void serve(SocketChannel client, ScheduledFuture<?> idle) {
        // not closed by try-with-resources: closing a stream closes the channel, and closeGently must come first
        InputStream in = Channels.newInputStream(client);
        PrintWriter out = writer(client);
        try {
            PeerCredentials peer = Libc.peerCredentials(JdkChannels.fdOf(client));
            if (peer.uid() != Libc.getuid()) {
                LOG.log(Level.WARNING, "refused a control request from uid " + peer.uid() + " (pid " + peer.pid() + ")");
                answer(out, StatusReport.refusal(Errno.EACCES, "refused: EACCES: the control socket serves uid " + Libc.getuid()
                        + " only, not uid " + peer.uid() + "; run luoctl as the service's user"));
                return;
            }
            Report answer;
            try {
                String line = RequestLine.read(in, MAX_LINE);
                idle.cancel(false);
                if (line == null || line.isBlank()) {
                    return;
                }
                answer = handle(ControlProtocol.parse(line), out);
            } catch (LiveUpdateException e) {
                answer = StatusReport.refusal(e.reason(), "refused: " + e.getMessage());
            }
            answer(out, answer);
        } catch (IOException | LiveUpdateException e) {
            LOG.log(Level.WARNING, "a control request failed: " + e);
        } finally {
            idle.cancel(false);
            closeGently(client);
        }
    }

    private Report handle(ControlProtocol.Request request, PrintWriter out) {
        return switch (request.verb()) {
            case "status" -> target.status();
            case "ping" -> new Report(List.of("pong"), "{\"pong\":true}", 0);
            case "upgrade" -> upgrade(request, out);
            default -> StatusReport.refusal(Errno.EINVAL, "unknown request \"" + request.verb() + "\": use status or upgrade");
        };
    }

    private static PrintWriter writer(SocketChannel client) {
        return new PrintWriter(new OutputStreamWriter(Channels.newOutputStream(client), StandardCharsets.UTF_8), true);
    }

    /**
     * Closes a connection after its answer, first reading away what the client sent that was not
     * read (the rest of a refused line, a request never read): closing over unread input would reset
     * the connection, and the client could lose the answer.
     */
    private static void closeGently(SocketChannel client) {
        try {
            if (client.isOpen()) {
                client.configureBlocking(false);
                ByteBuffer discard = ByteBuffer.allocate(8192);
                for (int i = 0; i < 64 && client.read(discard) > 0; i++) {
                    discard.clear();
                }
            }
        } catch (IOException ignored) {
            // the client is gone: nothing to protect
        }
        closeQuietly(client);
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing an idle connection is best effort
        }
    }

    private Report upgrade(ControlProtocol.Request request, PrintWriter out) {
        UpgradeOutcome outcome = target.upgrade(UpgradeRequest.of(request), message -> out.println("progress " + message));
        if (outcome.committed()) {
            stopAccepting(); // a successor serves: what connects from now on is its to answer
        }
        return StatusReport.upgrade(target.name(), outcome);
    }

    private static void answer(PrintWriter out, Report report) {
        for (String line : report.text()) {
            out.println("text " + line);
        }
        out.println("json " + report.json());
        out.println("exit " + report.exitCode());
        out.flush();
    }

    /** Stops accepting; requests already accepted are still answered. */
    private void stopAccepting() {
        stopped = true;
        selector.wakeup();
    }

    /**
     * Waits until this server has stopped accepting (after a committed upgrade, or {@link #close()})
     * and every request it accepted is answered.
     */
    public void awaitTermination() {
        inFlight.awaitAdvance(0);
    }

    /** Stops accepting and closes the listening socket in this process only. */
    @Override
    public void close() {
        stopAccepting();
        try {
            if (Thread.currentThread() != acceptor) {
                acceptor.join(1000); // the acceptor leaves its select before the selector closes
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
            listener.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
