package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.control.ControlServer;
import io.luo4j.linux.control.ControlTarget;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A service's control socket through its generations: bound once by the first process
 * ({@code RUNTIME_DIR/NAME.sock}, 0600), preserved in luo4j's own session ({@value #SESSION}) like
 * any listener, and taken over by each successor from that session, so a luoctl that connects during
 * an upgrade waits in the accept queue and is never refused.
 *
 * <p>Cold start: {@link #bind} (a socket file nobody answers on is stale and replaced; one that
 * answers means the service runs: EADDRINUSE), then {@link #serve}. Successor: {@link #takeOver}
 * once the predecessor has retired, then {@link #serve}. Shutdown: {@link #close} stops serving and,
 * unless a successor serves the socket now, closes the session and removes the file.
 */
final class ControlSocket {
    /** The session luo4j keeps its own files in. */
    static final String SESSION = "luo4j";
    private static final long TOKEN = 1;
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux");

    private final Path path;
    private final ServerSocketChannel listener;
    private Session session;
    private ControlServer server;

    private ControlSocket(Path path, ServerSocketChannel listener) {
        this.path = path;
        this.listener = listener;
    }

    /** Binds the control socket at {@code path}, replacing a stale one. */
    static ControlSocket bind(Path path, String serviceName) {
        if (Files.exists(path)) {
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(path));
                throw new LiveUpdateException(Errno.EADDRINUSE, "service " + serviceName + " is already running (" + path
                        + " answers): stop it, or give this instance another name");
            } catch (IOException stale) {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new LiveUpdateException(Errno.EACCES, "cannot remove the stale control socket " + path + ": " + e, e);
                }
            }
        }
        try {
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(path), 64);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            return new ControlSocket(path, channel);
        } catch (IOException e) {
            throw new LiveUpdateException(Errno.EADDRINUSE, "cannot bind the control socket " + path + ": " + e.getMessage(), e);
        }
    }

    /** The predecessor's control socket, from the incoming session; that session is finished. */
    static ControlSocket takeOver(LiveUpdateOrchestrator orchestrator, Path path) {
        Session incoming = orchestrator.retrieveSession(SESSION);
        ServerSocketChannel listener = incoming.retrieve(TOKEN, ServerSocketChannel.class);
        incoming.finish();
        return new ControlSocket(path, listener);
    }

    /** Preserves the socket for the next upgrade and serves it on a thread of its own. */
    synchronized void serve(LiveUpdateOrchestrator orchestrator, ControlTarget target) {
        session = orchestrator.createSession(SESSION);
        session.preserve(TOKEN, listener);
        server = ControlServer.start(listener, target);
    }

    /** Waits until the server stopped after a committed upgrade and has answered every request. */
    void awaitTermination() {
        server.awaitTermination();
    }

    /**
     * Stops serving. After a hand-over that is all: the successor serves the socket. Otherwise it
     * is a shutdown: the session is closed and the socket file removed.
     */
    synchronized void close(boolean handedOver) {
        if (server != null) {
            server.close();
        }
        if (handedOver) {
            return;
        }
        if (session != null) {
            try {
                session.close();
            } catch (LiveUpdateException e) {
                LOG.log(Level.WARNING, "closing session " + SESSION + ": " + e.getMessage());
            }
        }
        try {
            listener.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + path + ": " + e);
        }
    }
}
