package io.luo4j.netty.example;

import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.LiveUpdate;
import io.luo4j.linux.Memfd;
import io.luo4j.netty.NettyLiveUpdate;
import io.luo4j.netty.NettyLiveUpdate.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Netty example service: HTTP/1.1 with keep-alive on Netty ({@code netty-codec-http}), a
 * request counter per path whose state lives in a memfd ({@link PathCounters}), live-updated by
 * luo4j-netty on the NIO or the native epoll transport. {@code luoctl netty-example} runs it;
 * {@code luoctl upgrade NAME} live-updates it: the listener, every keep-alive connection with its
 * half-read request, and the counters' memfd go to the successor.
 *
 * <p>Sessions: {@value #STATE_SESSION} (the memfd), and luo4j-netty's listener and one per
 * connection. Started cold it creates the counters; as a successor it retrieves them before
 * {@code ready} and finishes their session after. It prints one line once it serves
 * ("netty NAME: generation G, pid P, transport T, ... serving on ADDRESS"), and returns when a
 * successor serves; its caller then ends the process without closing anything. A successor whose
 * predecessor rolled back exits with status 1.
 */
public final class NettyExample {
    static final String STATE_SESSION = "netty-example-counters";
    /** Part of the line the service prints once it serves. */
    public static final String SERVING = "serving on ";

    /** What one instance is: its name, address, transport and whether it warms up. */
    public record Config(String name, String bind, int port, Transport transport, boolean warmUp) {
        /** What a successor must also be (luo4j refuses a successor that is not). */
        String identity() {
            return "bind=" + bind + " port=" + port + " transport=" + transport.name().toLowerCase(Locale.ROOT);
        }
    }

    private NettyExample() {}

    /**
     * {@code --name NAME --port PORT [--transport nio|epoll] [--bind ADDRESS] [--warm-up true|false]}:
     * the entry point for tests, benchmarks and scripts on the class path; users run
     * {@code luoctl netty-example}.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (args.length % 2 != 0 || !options.containsKey("--name") || !options.containsKey("--port")) {
            System.err.println("usage: NettyExample --name NAME --port PORT [--transport nio|epoll] [--bind ADDRESS] [--warm-up true|false]");
            System.exit(2);
        }
        Config config = new Config(options.get("--name"), options.getOrDefault("--bind", "127.0.0.1"),
                Integer.parseInt(options.get("--port")), transport(options.getOrDefault("--transport", "nio")),
                Boolean.parseBoolean(options.getOrDefault("--warm-up", "true")));
        run(config);
        System.exit(0); // a successor serves every client: this process is done, its channels left as they are
    }

    /** {@code nio} or {@code epoll}. */
    public static Transport transport(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "nio" -> Transport.NIO;
            case "epoll" -> Transport.EPOLL;
            default -> throw new IllegalArgumentException("unknown transport \"" + name + "\": nio or epoll");
        };
    }

    /** Serves until a successor serves every client, then returns (the caller ends the process). */
    public static void run(Config config) throws IOException, InterruptedException {
        LiveUpdate.Builder builder = LiveUpdate.builder(config.name()).identity(config.identity()).warmUp(config.warmUp());
        if (config.warmUp()) {
            ExampleWarmUp.run(); // before start: a successor warms up while its predecessor still serves
            builder.warmUp(NettyLiveUpdate.warmUp(config.transport()));
        }
        // the event loops before start: in a successor, what comes after start() is what clients wait for
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.transport().ioHandlerFactory());
        CounterHandler[] handler = new CounterHandler[1];
        ServerBootstrap bootstrap = new ServerBootstrap().group(group)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), handler[0]);
                    }
                });
        try (LiveUpdate live = builder.start()) {
            LiveUpdateOrchestrator luo = live.orchestrator();
            Session stateIn = live.isSuccessor() ? luo.retrieveSession(STATE_SESSION) : null;
            Memfd memfd = stateIn != null ? stateIn.retrieve(1, Memfd.class) : Memfd.create("netty-example-counters", PathCounters.SIZE);
            handler[0] = new CounterHandler(new PathCounters(memfd));

            NettyLiveUpdate netty = new NettyLiveUpdate(live, config.transport());
            Channel server = netty.bind(bootstrap, new InetSocketAddress(InetAddress.getByName(config.bind()), config.port()));
            netty.ready(); // a successor: the predecessor commits here, then the taken-over clients are served
            if (stateIn != null) {
                stateIn.finish();
            }
            luo.createSession(STATE_SESSION).preserve(1, memfd);
            System.out.println("netty " + config.name() + ": generation " + live.generation() + ", pid " + ProcessHandle.current().pid()
                    + ", transport " + config.transport().name().toLowerCase(Locale.ROOT) + ", " + SERVING + server.localAddress());
            netty.awaitSuccessor();
            System.out.println("netty " + config.name() + ": handed over to its successor");
        }
    }
}
