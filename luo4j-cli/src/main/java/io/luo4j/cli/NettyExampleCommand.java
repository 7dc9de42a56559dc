package io.luo4j.cli;

import io.luo4j.netty.example.NettyExample;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code luoctl netty-example --name NAME --port PORT [--transport nio|epoll]}: runs the Netty
 * example (HTTP/1.1 keep-alive, a request counter per path in a memfd) under luo4j-netty, in the
 * foreground. Upgrade it with {@code luoctl upgrade NAME}: the listener, every connection and the
 * counters go to the successor. A successor whose upgrade rolled back exits with an error; the
 * old process serves on.
 */
@Command(name = "netty-example", description = {"Run the Netty example under luo4j, in the foreground: HTTP/1.1 keep-alive on Netty,"
        + " a request counter per path in a memfd (GET /_counters lists them).", "Live-update it with: luoctl upgrade NAME."})
final class NettyExampleCommand implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "The service's name (for luoctl upgrade and status).")
    private String name;

    @Option(names = "--port", required = true, description = "The TCP port to serve HTTP on.")
    private int port;

    @Option(names = "--transport", defaultValue = "nio", paramLabel = "nio|epoll",
            description = "Netty's transport: nio (the JDK's channels) or epoll (native, Linux) (default: ${DEFAULT-VALUE}).")
    private String transport;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "The address to serve on (default: ${DEFAULT-VALUE}).")
    private String bind;

    @Option(names = "--no-warm-up", negatable = false,
            description = "Skip the warm-up: serve sooner after a cold start, at the price of a longer first upgrade pause.")
    private boolean noWarmUp;

    @Override
    public Integer call() throws Exception {
        NettyExample.run(new NettyExample.Config(name, bind, port, NettyExample.transport(transport), !noWarmUp));
        return 0;
    }
}
