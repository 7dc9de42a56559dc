package io.luo4j.netty.example;

import io.luo4j.netty.NettyLiveUpdate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The example's requests, on the event loop: {@code GET /_counters} lists every path's count and
 * the connections accepted ({@code connections N}, then {@code PATH COUNT} lines) without being
 * counted; any other request counts one for its path and answers {@code PATH COUNT BODY_BYTES}.
 * Keep-alive as the client asks; a request the decoder could not read is answered 400 and the
 * connection closed. A connection taken over from the predecessor is not counted again.
 */
@ChannelHandler.Sharable
final class CounterHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String COUNTERS_PATH = "/_counters";
    private final PathCounters counters;

    CounterHandler(PathCounters counters) {
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!NettyLiveUpdate.isTakenOver(ctx.channel())) {
            counters.connectionAccepted();
        }
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "bad request: " + request.decoderResult().cause() + "\n", false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        String body;
        if (path.equals(COUNTERS_PATH)) {
            StringBuilder text = new StringBuilder("connections ").append(counters.connectionsAccepted()).append('\n');
            for (Map.Entry<String, Long> count : counters.counts().entrySet()) {
                text.append(count.getKey()).append(' ').append(count.getValue()).append('\n');
            }
            body = text.toString();
        } else {
            body = path + " " + counters.count(path) + " " + request.content().readableBytes() + "\n";
        }
        respond(ctx, request, HttpResponseStatus.OK, body, HttpUtil.isKeepAlive(request));
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String body,
            boolean keepAlive) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        if (keepAlive) {
            if (!request.protocolVersion().isKeepAliveDefault()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
