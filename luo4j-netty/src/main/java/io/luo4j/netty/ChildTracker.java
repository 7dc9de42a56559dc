package io.luo4j.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The server channel's first handler, before the application's own and the bootstrap's acceptor:
 * every child channel that passes (accepted by the server, or taken over from the predecessor and
 * passed through as if accepted) is preserved for the next upgrade by
 * {@link NettyLiveUpdate#adopt} before the acceptor initializes and registers it. A child that
 * cannot be preserved is closed there and goes no further.
 */
final class ChildTracker extends ChannelInboundHandlerAdapter {
    private final NettyLiveUpdate server;

    ChildTracker(NettyLiveUpdate server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child && !server.adopt(child)) {
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
