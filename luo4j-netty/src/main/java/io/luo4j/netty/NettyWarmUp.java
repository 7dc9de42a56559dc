package io.luo4j.netty;

import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.LiveUpdate;
import io.luo4j.linux.TcpConnection;
import io.luo4j.linux.WarmUp;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * luo4j-netty's part of the start-up warm-up ({@link NettyLiveUpdate#warmUp}): on each throwaway
 * handover inside the process, a loopback listener and one connection with a few unread bytes are
 * preserved in the sessions a Netty server uses, in the transport's form (a JDK channel for NIO, a
 * raw descriptor for epoll), and taken over by {@link TakeOver}, the successor's own code, which
 * builds the transport's channels over them; then everything is closed. Nothing is registered on
 * an event loop; what a connection's {@code InFlight} does at an upgrade and after one (carried
 * bytes in, a read, an answer, a stop, a resume) runs on an embedded channel. A failure fails the warm-up, and so the start-up, loudly.
 */
final class NettyWarmUp implements WarmUp {
    private static final int ROUNDS = 50;
    private final NettyLiveUpdate.Transport transport;

    NettyWarmUp(NettyLiveUpdate.Transport transport) {
        this.transport = transport;
    }

    @Override
    public void preserve(LiveUpdateOrchestrator predecessor, List<AutoCloseable> owned) throws Exception {
        transport.requireAvailable();
        ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        owned.add(listener);
        owned.add(SocketChannel.open(listener.getLocalAddress()));
        SocketChannel accepted = listener.accept();
        owned.add(accepted);
        TcpConnection connection = transport == NettyLiveUpdate.Transport.NIO ? TcpConnection.of(accepted)
                : TcpConnection.ofDescriptor(LiveUpdate.duplicate(accepted));
        owned.add(connection);
        connection.setUnread(ByteBuffer.wrap("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
        predecessor.createSession(NettyLiveUpdate.LISTENER_SESSION).preserve(1, listener);
        predecessor.createSession(NettyLiveUpdate.CONNECTION_PREFIX + "0").preserve(1, connection);
    }

    @Override
    public List<Session> takeOver(LiveUpdateOrchestrator successor, List<AutoCloseable> owned) throws Exception {
        TakeOver parts = TakeOver.from(successor, transport);
        owned.add(parts::close);
        rehearseInFlight(parts.connections().getFirst());
        return parts.incoming();
    }

    /**
     * What a connection's {@code InFlight} does at an upgrade and after one, on an embedded channel:
     * carried bytes in first, a read, a stop, a resume.
     */
    private static void rehearseInFlight(TakeOver.Connection taken) throws Exception {
        try (SocketChannel unconnected = SocketChannel.open()) {
            EmbeddedChannel channel = new EmbeddedChannel(false, false);
            InFlight.carry(channel, taken.unread(), taken.unwritten());
            InFlight inFlight = InFlight.install(channel, TcpConnection.of(unconnected), () -> {});
            channel.register();
            channel.writeInbound(Unpooled.wrappedBuffer("1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
            channel.writeOneOutbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
            channel.flushOutbound();
            inFlight.stop();
            inFlight.resume();
            channel.finishAndReleaseAll();
        }
    }

    @Override
    public int rounds() {
        return ROUNDS;
    }
}
