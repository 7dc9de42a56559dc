/**
 * luo4j-netty: live update of a Netty 4.2 server, NIO or native epoll
 * ({@link io.luo4j.netty.NettyLiveUpdate}), on luo4j-linux's exported API only; and the example
 * service, an HTTP/1.1 counter whose state lives in a memfd ({@code io.luo4j.netty.example}, for
 * luoctl and the benchmarks).
 *
 * <p>The epoll transport's JNI library is in module {@code io.netty.transport.epoll.linux.x86_64},
 * which nothing requires: an application on the module path adds it ({@code luoctl} requires it).
 */
module io.luo4j.netty {
    requires transitive io.luo4j.linux;
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires io.netty.codec;
    requires io.netty.codec.http;

    exports io.luo4j.netty;
    exports io.luo4j.netty.example to io.luo4j.cli, io.luo4j.bench;
}
