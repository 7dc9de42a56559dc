package io.luo4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.linux.TcpConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link InFlight} carries, on a line protocol whose handler answers each line: the bytes read
 * since the last answer (a decoder's cumulation, and lines decoded but not answered), nothing once
 * answered but a pipelined next line the decoder had not reached, an answer pending at the stop
 * counted as given; the documented limit (a read copied into an earlier cumulation goes whole at an
 * answer); and in a successor, the carried bytes reach the new pipeline first. The pipeline runs on an {@link EmbeddedChannel}; the connection
 * that records the bytes is a real loopback socket.
 */
class InFlightTest {
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private TcpConnection connection;

    @BeforeEach
    void connect() throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        cleanup.add(server);
        cleanup.add(SocketChannel.open(server.getLocalAddress()));
        connection = TcpConnection.of(server.accept());
        cleanup.add(connection);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    /** Answers each line with "ok LINE\n", except lines starting with "wait", which it keeps unanswered. */
    private static final class Answering extends ChannelInboundHandlerAdapter {
        final List<String> seen = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            String text = line.toString(StandardCharsets.US_ASCII);
            line.release();
            seen.add(text);
            if (!text.startsWith("wait")) {
                ctx.writeAndFlush(Unpooled.copiedBuffer("ok " + text + "\n", StandardCharsets.US_ASCII));
            }
        }
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    private String unread() {
        return StandardCharsets.US_ASCII.decode(connection.unread()).toString();
    }

    @Test
    void carriesWhatWasReadSinceTheLastAnswerAndNothingAnswered() {
        EmbeddedChannel channel = new EmbeddedChannel();
        InFlight inFlight = InFlight.install(channel, connection);
        Answering handler = new Answering();
        channel.pipeline().addLast(new LineBasedFrameDecoder(1024), handler);

        channel.writeInbound(bytes("one\ntw"));            // "one" answered; "tw" left in the decoder's cumulation
        ChannelFuture drained = inFlight.stop();
        assertTrue(drained.isDone());
        assertFalse(channel.config().isAutoRead());
        assertEquals("tw", unread(), "the answered line is gone, the start of the next (pipelined) one stays");

        inFlight.resume();                                  // a rollback: the bytes are still the pipeline's
        assertTrue(channel.config().isAutoRead());
        channel.writeInbound(bytes("o\n"));
        assertEquals(List.of("one", "two"), handler.seen);
        inFlight.stop();
        assertEquals("", unread(), "everything read was answered");

        channel.writeInbound(bytes("wait for it\nthr"));   // decoded but not answered, then a partial line
        inFlight.stop();
        assertEquals("wait for it\nthr", unread());
        inFlight.resume();
        channel.writeInbound(bytes("ee\nfo"));             // a line in the cumulation, copied: answered, then 2 more bytes
        inFlight.stop();
        assertEquals("", unread(), "a read copied into an earlier cumulation goes whole at an answer");
        channel.finishAndReleaseAll();
    }

    @Test
    void anAnswerWrittenButNotFlushedAtTheStopCountsAsGiven() {
        EmbeddedChannel channel = new EmbeddedChannel();
        InFlight inFlight = InFlight.install(channel, connection);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
                ctx.write(bytes("later\n")); // the stop's flush sends it
            }
        });
        channel.writeInbound(bytes("request\n"));
        inFlight.stop();
        assertEquals("", unread());
        ByteBuf sent = channel.readOutbound();
        assertEquals("later\n", sent.toString(StandardCharsets.US_ASCII));
        sent.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aTakenOverChannelGetsItsCarriedBytesFirstAndOwedRepliesWritten() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        InFlight.carry(channel, ByteBuffer.wrap("half a li".getBytes(StandardCharsets.US_ASCII)),
                ByteBuffer.wrap("owed\n".getBytes(StandardCharsets.US_ASCII)));
        InFlight inFlight = InFlight.install(channel, connection);
        Answering handler = new Answering();
        channel.pipeline().addLast(new LineBasedFrameDecoder(1024), handler);
        assertTrue(NettyLiveUpdate.isTakenOver(channel));
        channel.register();                                 // active: the carried bytes go in first
        channel.writeInbound(bytes("ne\n"));
        assertEquals(List.of("half a line"), handler.seen);
        ByteBuf owed = channel.readOutbound();
        assertEquals("owed\n", owed.toString(StandardCharsets.US_ASCII));
        owed.release();
        ByteBuf answer = channel.readOutbound();
        assertEquals("ok half a line\n", answer.toString(StandardCharsets.US_ASCII));
        answer.release();
        inFlight.stop();
        assertEquals("", unread());
        channel.finishAndReleaseAll();
    }
}
