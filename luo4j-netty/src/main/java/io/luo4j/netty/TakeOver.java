package io.luo4j.netty;

import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.TcpConnection;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * What a successor takes over from the predecessor's sessions: the listener and every connection,
 * with the transport's Netty channels built over them (not registered: the predecessor may still
 * roll back, and nothing may be read before it commits), and the incoming sessions that held them,
 * to finish once it has. Used for real by {@link NettyLiveUpdate#bind} and, on throwaway
 * handovers, by the warm-up ({@link NettyWarmUp}).
 *
 * <p>Unhappy path: a session missing or a descriptor that Netty refuses throws; what was built is
 * closed and the successor fails its take-over, so the predecessor rolls back.
 */
record TakeOver(ServerSocketChannel listener, Channel server, List<Connection> connections, List<Session> incoming) {

    /** A taken-over connection: its Netty channel and what it carried. */
    record Connection(Channel channel, ByteBuffer unread, ByteBuffer unwritten) {}

    static TakeOver from(LiveUpdateOrchestrator luo, NettyLiveUpdate.Transport transport) {
        List<Session> incoming = new ArrayList<>();
        List<AutoCloseable> built = new ArrayList<>();
        try {
            Session listenerSession = luo.retrieveSession(NettyLiveUpdate.LISTENER_SESSION);
            incoming.add(listenerSession);
            ServerSocketChannel listener = listenerSession.retrieve(1, ServerSocketChannel.class);
            built.add(listener);
            Channel server = NettyLiveUpdate.serverChannel(transport, listener);
            built.add(() -> server.unsafe().closeForcibly());
            List<Connection> connections = new ArrayList<>();
            for (String name : luo.incomingSessionNames()) {
                if (!name.startsWith(NettyLiveUpdate.CONNECTION_PREFIX)) {
                    continue;
                }
                Session session = luo.retrieveSession(name);
                incoming.add(session);
                TcpConnection connection = session.retrieve(1, TcpConnection.class);
                built.add(connection);
                Channel channel = NettyLiveUpdate.childChannel(transport, server, connection);
                built.remove(connection); // the channel owns the socket now: closed once, through it
                built.add(() -> channel.unsafe().closeForcibly());
                connections.add(new Connection(channel, connection.unread(), connection.unwritten()));
            }
            return new TakeOver(listener, server, connections, incoming);
        } catch (IOException e) {
            closeAll(built);
            throw new UncheckedIOException("the taken-over listener cannot be set up: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(built);
            throw e;
        }
    }

    /** Finishes every incoming session: their files are the application's for good. */
    void finishSessions() {
        for (Session session : incoming) {
            session.finish();
        }
    }

    /** Closes the listener, the server channel and every connection: for a take-over abandoned (the warm-up's). */
    void close() {
        List<AutoCloseable> all = new ArrayList<>();
        for (Connection connection : connections) {
            all.add(() -> connection.channel().unsafe().closeForcibly());
        }
        all.add(() -> server.unsafe().closeForcibly());
        all.add(listener);
        closeAll(all);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // closing what a failed take-over built: the first failure is the one reported
            }
        }
    }
}
