/**
 * luo4j-cli: {@code luoctl}, the command line ({@link io.luo4j.cli.Luoctl}): demo, kv, upgrade,
 * netty-example, status, inspect, bench, walkthrough. The Netty example's epoll transport loads its
 * JNI library from module {@code io.netty.transport.epoll.linux.x86_64}, which bin/luoctl adds to
 * the module graph ({@code --add-modules}). picocli reads its commands' annotations reflectively.
 */
module io.luo4j.cli {
    requires io.luo4j.bench;
    requires io.luo4j.kv;
    requires io.luo4j.netty;
    requires io.luo4j.linux;
    requires info.picocli;
    requires com.fasterxml.jackson.jr.ob;

    opens io.luo4j.cli to info.picocli;
}
