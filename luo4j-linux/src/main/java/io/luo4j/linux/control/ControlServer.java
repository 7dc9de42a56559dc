package io.luo4j.linux.control;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.JdkChannels;
import io.luo4j.linux.internal.Libc;
import io.luo4j.linux.internal.PeerCredentials;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Phaser;

/**
 * A service's control socket: takes {@code status}, {@code upgrade} and {@code ping} requests from
 * luoctl (see {@link ControlProtocol}), asks its {@link ControlTarget} once per request and writes
 * the answer. Only a peer running under the service's own uid is served (checked with SO_PEERCRED;
 * the socket is also 0600 in a 0700 directory); anyone else gets EACCES.
 *
 * <p>The listening socket itself is preserved across upgrades, so a luoctl that connects during an
 * upgrade waits in the accept queue and is answered by whichever process serves. When an upgrade
 * commits, this server stops accepting at once (what connects from then on is the successor's),
 * answers the requests it has, and then {@linkplain #awaitTermination() terminates}: the service may
 * retire.
 */
public final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux.control");

    private final ServerSocketChannel listener;
    private final ControlTarget target;
    private final Selector selector;
    private final Thread acceptor;
    /** The acceptor and every request being answered are parties; termination is all of them gone. */
    private final Phaser inFlight = new Phaser(1);
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
                while (!stopped && (client = acceptOne()) != null) {
                    client.configureBlocking(true);
                    SocketChannel accepted = client;
                    inFlight.register();
                    Thread.ofVirtual().name("luo4j-control-client").start(() -> {
                        try {
                            serve(accepted);
                        } finally {
                            inFlight.arriveAndDeregister();
                        }
                    });
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

    private SocketChannel acceptOne() throws IOException {
        return listener.accept();
    }

    private void serve(SocketChannel client) {
        try (client;
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(new OutputStreamWriter(Channels.newOutputStream(client), StandardCharsets.UTF_8), true)) {
            PeerCredentials peer = Libc.peerCredentials(JdkChannels.fdOf(client));
            if (peer.uid() != Libc.getuid()) {
                LOG.log(Level.WARNING, "refused a control request from uid " + peer.uid() + " (pid " + peer.pid() + ")");
                answer(out, StatusReport.refusal(Errno.EACCES, "refused: EACCES: the control socket serves uid " + Libc.getuid()
                        + " only, not uid " + peer.uid() + "; run luoctl as the service's user"));
                return;
            }
            String line = in.readLine();
            if (line == null || line.isBlank()) {
                return;
            }
            ControlProtocol.Request request = ControlProtocol.parse(line);
            answer(out, switch (request.verb()) {
                case "status" -> target.status();
                case "ping" -> new Report(List.of("pong"), "{\"pong\":true}", 0);
                case "upgrade" -> upgrade(request, out);
                default -> StatusReport.refusal(Errno.EINVAL, "unknown request \"" + request.verb() + "\": use status or upgrade");
            });
        } catch (IOException | LiveUpdateException e) {
            LOG.log(Level.WARNING, "a control request failed: " + e);
        }
    }

    private Report upgrade(ControlProtocol.Request request, PrintWriter out) {
        Duration timeout;
        try {
            timeout = Duration.ofSeconds(Long.parseLong(request.argument("timeout", "0"))); // 0: the service's default
        } catch (NumberFormatException e) {
            return StatusReport.refusal(Errno.EINVAL, "timeout must be a number of seconds");
        }
        String exec = request.argument("exec", "");
        List<String> command = exec.isEmpty() ? List.of() : List.of("/bin/sh", "-c", "exec " + exec);
        UpgradeOutcome outcome = target.upgrade(command, timeout, message -> out.println("progress " + message));
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
