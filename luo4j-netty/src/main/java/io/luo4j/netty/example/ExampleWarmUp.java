package io.luo4j.netty.example;

import io.luo4j.linux.Memfd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;

/**
 * The example's own warm-up, before it serves: requests of every kind the service answers (a GET,
 * a POST with a body, the counters' listing) run through the example's real pipeline on an
 * {@link EmbeddedChannel} with throwaway counters, so that a successor's first replies, which
 * the clients that waited through the upgrade get, come from compiled code. luo4j-netty's own part
 * (the take-over) is {@code NettyLiveUpdate.warmUp}. A failure here fails the start-up.
 */
final class ExampleWarmUp {
    private static final int ROUNDS = 2000;
    private static final byte[][] REQUESTS = {
        "GET /warm-up HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        "POST /warm-up/post HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII),
        "GET /_counters HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
    };

    private ExampleWarmUp() {}

    static void run() {
        try (Memfd memfd = Memfd.create("netty-example-warm-up", PathCounters.SIZE)) {
            CounterHandler handler = new CounterHandler(new PathCounters(memfd));
            EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), handler);
            for (int round = 0; round < ROUNDS; round++) {
                for (byte[] request : REQUESTS) {
                    channel.writeInbound(Unpooled.wrappedBuffer(request));
                    ByteBuf reply;
                    while ((reply = channel.readOutbound()) != null) {
                        reply.release();
                    }
                }
            }
            channel.finishAndReleaseAll();
        }
    }
}
