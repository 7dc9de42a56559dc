package io.luo4j.netty;

import io.luo4j.linux.TcpConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The first handler of every preserved child channel's pipeline: what the connection has read and
 * not answered yet, and, in a successor, what it carried from the predecessor.
 *
 * <p>Happy path: every inbound buffer is kept (a retained slice: no copy) until the pipeline
 * flushes a non-empty write, its answer; then they are released, but for the part of the last one
 * a decoder has not consumed yet (see {@link #answered()}). At an upgrade {@link #stop()}
 * (on the channel's event loop) turns reads off, copies the kept bytes onto the connection's
 * {@link TcpConnection#setUnread unread} bytes, and flushes what is pending; the future it returns
 * completes once every reply written before it has left. In the successor, the handler installed
 * on a taken-over channel fires the carried bytes into the new pipeline on {@code channelActive},
 * before the socket is read (the unwritten bytes, if any, are written first), and keeps them as
 * unanswered until they are answered.
 *
 * <p>Unhappy path: a rollback calls {@link #resume()}: reads go on, the kept bytes are still the
 * pipeline's (they were only copied). A channel that closes releases what it kept.
 */
final class InFlight extends ChannelDuplexHandler {
    /** The bytes a taken-over channel carried, set before it passes through the server's pipeline. */
    private static final AttributeKey<byte[][]> CARRIED = AttributeKey.valueOf("io.luo4j.netty.carried");
    /** Set on a channel taken over from the predecessor, for good. */
    static final AttributeKey<Boolean> TAKEN_OVER = AttributeKey.valueOf("io.luo4j.netty.takenOver");
    static final String NAME = "luo4j-in-flight";

    private final TcpConnection connection;
    /** Run once the channel is active and its carried bytes are in (a taken-over channel's preservation); or null. */
    private Runnable onActive;
    private final List<ByteBuf> unanswered = new ArrayList<>();
    /** The buffer of the last read, and the range of it kept in {@link #unanswered}; null when none is kept. */
    private ByteBuf lastRead;
    private int lastStart;
    private int lastEnd;
    private byte[] carriedIn;
    private byte[] owedOut;
    private boolean wroteSinceAnswer;
    private ChannelHandlerContext ctx;

    private InFlight(TcpConnection connection, byte[] carriedIn, byte[] owedOut) {
        this.connection = connection;
        this.carriedIn = carriedIn;
        this.owedOut = owedOut;
    }

    /** In a successor, before {@code channel} is passed on as accepted: the bytes it carried. */
    static void carry(Channel channel, ByteBuffer unread, ByteBuffer unwritten) {
        channel.attr(CARRIED).set(new byte[][] {bytes(unread), bytes(unwritten)});
        channel.attr(TAKEN_OVER).set(Boolean.TRUE);
    }

    /**
     * Puts the handler first in {@code channel}'s pipeline, with what it carried (if it was taken
     * over); {@code onActive} (or null) runs on its event loop once it is active and the carried
     * bytes are in.
     */
    static InFlight install(Channel channel, TcpConnection connection, Runnable onActive) {
        byte[][] carried = channel.attr(CARRIED).getAndSet(null);
        InFlight handler = carried == null ? new InFlight(connection, null, null) : new InFlight(connection, carried[0], carried[1]);
        handler.onActive = onActive;
        channel.pipeline().addFirst(NAME, handler);
        return handler;
    }

    static InFlight install(Channel channel, TcpConnection connection) {
        return install(channel, connection, null);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        if (owedOut != null && owedOut.length > 0) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(owedOut));
        }
        owedOut = null;
        if (carriedIn != null && carriedIn.length > 0) {
            ByteBuf carried = Unpooled.wrappedBuffer(carriedIn);
            unanswered.add(carried.retainedSlice());
            ctx.fireChannelRead(carried);
            ctx.fireChannelReadComplete();
        }
        carriedIn = null;
        if (onActive != null) {
            Runnable task = onActive;
            onActive = null;
            task.run();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buffer && buffer.isReadable()) {
            unanswered.add(buffer.retainedSlice());
            lastRead = buffer;
            lastStart = buffer.readerIndex();
            lastEnd = buffer.writerIndex();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buffer) || buffer.isReadable()) {
            wroteSinceAnswer = true;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (wroteSinceAnswer) {
            wroteSinceAnswer = false;
            answered();
        }
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseUnanswered();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseUnanswered();
    }

    /**
     * The pipeline answered: what it read so far is consumed, except the part of the last read a
     * decoder has not consumed yet. Netty's {@code ByteToMessageDecoder}, when it had nothing
     * cumulated, decodes straight from the buffer it was given, so that buffer's reader index says
     * how far it got: a next request behind the answered one in the same read (pipelining) stays.
     * A reader index at either end says nothing (untouched, or copied into a cumulation): all goes.
     */
    private void answered() {
        ByteBuf rest = null;
        if (lastRead != null) {
            int consumed = lastRead.readerIndex();
            if (consumed > lastStart && consumed < lastEnd) {
                rest = lastRead.retainedSlice(consumed, lastEnd - consumed);
                lastStart = consumed;
            }
        }
        ByteBuf last = lastRead;
        releaseUnanswered();
        if (rest != null) {
            unanswered.add(rest);
            lastRead = last;
        }
    }

    private void releaseUnanswered() {
        for (ByteBuf buffer : unanswered) {
            buffer.release();
        }
        unanswered.clear();
        lastRead = null;
    }

    /**
     * On the channel's event loop: stops reading, records the unanswered bytes on the connection,
     * and flushes; the future completes when every reply has been written. Null for a closed channel.
     */
    ChannelFuture stop() {
        Channel channel = ctx.channel();
        if (!channel.isActive()) {
            return null;
        }
        channel.config().setAutoRead(false);
        if (wroteSinceAnswer) { // an answer written and not flushed yet: the flush below sends it
            wroteSinceAnswer = false;
            answered();
        }
        int size = 0;
        for (ByteBuf buffer : unanswered) {
            size += buffer.readableBytes();
        }
        ByteBuffer unread = ByteBuffer.allocate(size);
        for (ByteBuf buffer : unanswered) {
            buffer.getBytes(buffer.readerIndex(), unread.slice(unread.position(), buffer.readableBytes()));
            unread.position(unread.position() + buffer.readableBytes());
        }
        connection.setUnread(unread.flip());
        connection.setUnwritten(ByteBuffer.allocate(0));
        // an empty write after every pending one: done when they all are (it is no answer, see write)
        return ctx.writeAndFlush(Unpooled.EMPTY_BUFFER);
    }

    /** On the channel's event loop, after a rollback: reads go on. */
    void resume() {
        Channel channel = ctx.channel();
        if (channel.isActive()) {
            channel.config().setAutoRead(true);
        }
    }
}
