/**
 * The Netty example service: an HTTP/1.1 keep-alive server on Netty ({@code netty-codec-http})
 * that counts requests per path in a memfd, live-updated by luo4j-netty on the NIO or the native
 * epoll transport. Start at {@link io.luo4j.netty.example.NettyExample}.
 *
 * <h2>The flow</h2>
 * {@code NettyExample.run} starts luo4j (with luo4j-netty's warm-up), takes the counters' memfd
 * over or creates it ({@code PathCounters}), builds an ordinary {@code ServerBootstrap} whose
 * {@code ChannelInitializer} puts {@code HttpServerCodec}, {@code HttpObjectAggregator} and
 * {@code CounterHandler} in each pipeline, and hands it to {@code NettyLiveUpdate.bind} and
 * {@code ready}. Every request counts one for its path in the memfd, atomically (any event loop),
 * and is answered with the count; {@code GET /_counters} lists them. On {@code luoctl upgrade} the
 * successor gets the listener, every connection (with a request it had half read: headers
 * before the upgrade, body after) and the same memfd pages; the predecessor returns from
 * {@code awaitSuccessor} and its main exits.
 *
 * <h2>Unhappy paths</h2>
 * A rolled-back upgrade leaves the process serving with every connection; the successor's counts
 * were never written (it reads nothing before the commit). A request the decoder cannot read is
 * answered 400 and its connection closed; a path longer than a slot counts under its prefix, and
 * a full table under {@code /(other)}.
 */
package io.luo4j.netty.example;
