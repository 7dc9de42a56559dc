package io.luo4j.netty;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.LiveUpdate;
import io.luo4j.linux.TcpConnection;
import io.luo4j.linux.UpgradeHooks;
import io.luo4j.linux.WarmUp;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Netty 4.2 server under luo4j: its listener and every open connection survive a live update,
 * with the bytes each connection had read and not yet answered. The application builds its
 * {@link ServerBootstrap} as always and calls {@link #bind} instead of {@code bootstrap.bind},
 * then {@link #ready()}:
 *
 * <pre>{@code
 * LiveUpdate live = LiveUpdate.builder("web").warmUp(NettyLiveUpdate.warmUp(Transport.NIO)).start();
 * NettyLiveUpdate netty = new NettyLiveUpdate(live, Transport.NIO);
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(Transport.NIO.ioHandlerFactory());
 * netty.bind(new ServerBootstrap().group(group).childHandler(new MyInitializer()), new InetSocketAddress(8080));
 * netty.ready();              // serves; in a successor, the predecessor commits here
 * netty.awaitSuccessor();     // returns once the next version serves every client
 * System.exit(0);             // without closing the channels: they are the successor's now
 * }</pre>
 *
 * <h2>Started cold</h2>
 * {@link #bind} binds the listener as a JDK {@link ServerSocketChannel} (backlog from the
 * bootstrap's {@code SO_BACKLOG}), preserves it in session {@value #LISTENER_SESSION} and builds
 * the transport's server channel over it: {@code NioServerSocketChannel(jdkChannel)}, or, for
 * epoll, {@code EpollServerSocketChannel(fd)} over a duplicate of its descriptor
 * ({@link LiveUpdate#duplicate}). Every child channel the server accepts is preserved at once, in a
 * session of its own ({@value #CONNECTION_PREFIX}N), as a {@link TcpConnection} over the JDK
 * channel (NIO) or over the raw descriptor (epoll), and released when the channel closes; a
 * handler at the head of its pipeline ({@code InFlight}) keeps the bytes it has read since it last
 * answered.
 *
 * <h2>An upgrade, in the predecessor ({@link UpgradeHooks})</h2>
 * {@link #stopTakingWork()}: the server channel stops accepting (new connections wait in the
 * listener's queue, which travels); on each child's own event loop reads stop
 * ({@code autoRead=false}), the pending writes are flushed, and the bytes read since the last
 * answer become the connection's unread bytes. Once every reply has left (bounded by
 * {@link #DRAIN_LIMIT}), luo4j freezes and hands the descriptors over. {@link #takeWorkAgain()}
 * (rollback) turns reads back on everywhere: no channel was closed, no byte dropped; the bytes
 * recorded are still the pipeline's. {@link #successorServes()} releases {@link #awaitSuccessor()};
 * the process then exits without closing the channels (closing is harmless for the descriptor,
 * but a Netty close may shut a socket down, which the successor would see).
 *
 * <h2>In the successor</h2>
 * {@link #bind} retrieves the listener and every connection and builds the transport's channels
 * over them ({@code NioSocketChannel(server, jdkChannel)}, {@code EpollSocketChannel(fd)}: an
 * epoll child has no parent channel), nothing registered yet: the predecessor may still roll back.
 * {@link #ready()} reports ready; once the predecessor has committed it finishes the incoming
 * sessions, registers the server channel with the bootstrap's settings, and passes every child
 * through the server's pipeline exactly as an accepted one: the bootstrap's acceptor runs the
 * application's own {@code childHandler} (its {@code ChannelInitializer}), the child options and
 * attributes, and registers it on the child group's event loops; on {@code channelActive} the
 * carried bytes are fired into the new pipeline before the socket is read, and then, on its event
 * loop, the child is preserved again for the next upgrade (its clients, who waited through this
 * one, are answered first). The pipeline sees {@code channelActive} as for a new connection. Once
 * the server serves, a thread of its own runs the code that stops accepting a few hundred times,
 * harmlessly, so that at the next upgrade it runs compiled.
 *
 * <h2>Unhappy paths</h2>
 * A connection whose client reads none of its replies while the service stops blocks the upgrade:
 * after {@link #DRAIN_LIMIT} {@code stopTakingWork} fails with EBUSY and the upgrade rolls back. A
 * connection that cannot be preserved (a session limit) is closed at once with a warning, rather
 * than served and lost at the next upgrade. A successor whose predecessor rolled back gets
 * ECANCELED from {@link #ready()} and must exit without serving (nothing was registered).
 *
 * <h2>What "read but not answered" means</h2>
 * {@code InFlight} keeps every byte read since the pipeline last flushed a non-empty write: for a
 * request/response protocol (HTTP/1.1, RESP, memcached) those are the bytes of the request being
 * read, decoded or not (the decoders' cumulations and the part already decoded, such as HTTP
 * headers whose body has not arrived); of the read that held an answered request, it keeps what
 * the first decoder had not consumed when it decoded from that buffer (a pipelined next request).
 * Not covered: a handler that answers later on another thread (its request is re-read by the
 * successor); a pipelined partial request whose decoder had copied it into an earlier cumulation;
 * an interim reply (HTTP 100 Continue), which counts as an answer.
 */
public final class NettyLiveUpdate implements UpgradeHooks {
    private static final System.Logger LOG = System.getLogger("io.luo4j.netty");
    /** The listener's session. */
    public static final String LISTENER_SESSION = "netty-listener";
    /** Each connection's session: this prefix and a number. */
    public static final String CONNECTION_PREFIX = "netty-conn-";
    /** How long {@link #stopTakingWork()} waits for every pending reply to be written. */
    public static final Duration DRAIN_LIMIT = Duration.ofMillis(500);

    /** The transports a server can run on. */
    public enum Transport {
        /** Netty's NIO transport: the JDK's own channels, no native library. */
        NIO,
        /** Netty's native epoll transport (Linux): raw descriptors, its JNI library. */
        EPOLL;

        /** The event loops' I/O handler: {@code new MultiThreadIoEventLoopGroup(transport.ioHandlerFactory())}. */
        public IoHandlerFactory ioHandlerFactory() {
            return this == NIO ? NioIoHandler.newFactory() : EpollIoHandler.newFactory();
        }

        /** Fails with EOPNOTSUPP, with Netty's reason, when this transport cannot run here. */
        void requireAvailable() {
            if (this == EPOLL && !Epoll.isAvailable()) {
                throw new LiveUpdateException(Errno.EOPNOTSUPP, "Netty's epoll transport is not available here: "
                        + Epoll.unavailabilityCause());
            }
        }
    }

    private final LiveUpdate live;
    private final LiveUpdateOrchestrator orchestrator;
    private final Transport transport;
    private final Map<Channel, InFlight> children = new ConcurrentHashMap<>();
    private final CountDownLatch successorServes = new CountDownLatch(1);
    private long nextConnection;
    private ServerBootstrap bootstrap;
    /** The listener luo4j preserves (the server channel may run on a duplicate of it). */
    private ServerSocketChannel listener;
    private Channel server;
    /** A successor's parts between {@link #bind} and {@link #ready()}; null once registered. */
    private TakeOver takeOver;
    private boolean ready;

    /**
     * A Netty server of {@code transport} under {@code live} (started, not ready yet).
     *
     * @throws LiveUpdateException EOPNOTSUPP when the transport cannot run here (epoll without its
     *         native library)
     */
    public NettyLiveUpdate(LiveUpdate live, Transport transport) {
        this.live = Objects.requireNonNull(live, "live");
        this.orchestrator = live.orchestrator();
        this.transport = Objects.requireNonNull(transport, "transport");
        transport.requireAvailable();
    }

    /** The transport this server runs on. */
    public Transport transport() {
        return transport;
    }

    /**
     * Instead of {@code bootstrap.bind(address)}: started cold, binds {@code address}; in a
     * successor, takes over the predecessor's listener and connections ({@code address} is not
     * used). Returns the server channel, registered once {@link #ready()} is called. The bootstrap
     * needs its groups and child handler; its channel class is the transport's.
     *
     * @throws LiveUpdateException what luo4j reports (a successor: the predecessor rolls back)
     * @throws IOException when the address cannot be bound
     */
    public synchronized Channel bind(ServerBootstrap bootstrap, SocketAddress address) throws IOException {
        if (this.bootstrap != null) {
            throw new LiveUpdateException(Errno.EINVAL, "bind was called already: one server per NettyLiveUpdate");
        }
        Objects.requireNonNull(bootstrap.config().childHandler(), "the bootstrap has no childHandler");
        this.bootstrap = bootstrap;
        if (live.isSuccessor()) {
            takeOver = TakeOver.from(orchestrator, transport);
            listener = takeOver.listener();
            server = takeOver.server();
        } else {
            listener = bindListener(bootstrap, address);
            orchestrator.createSession(LISTENER_SESSION).preserve(1, listener);
            server = serverChannel(transport, listener);
        }
        return server;
    }

    private static ServerSocketChannel bindListener(ServerBootstrap bootstrap, SocketAddress address) throws IOException {
        Object backlog = bootstrap.config().options().get(ChannelOption.SO_BACKLOG);
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            return channel.bind(address, backlog instanceof Integer b ? b : 4096);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The transport's server channel over {@code listener}: the JDK channel itself, or epoll over a duplicate. */
    static Channel serverChannel(Transport transport, ServerSocketChannel listener) throws IOException {
        if (transport == Transport.NIO) {
            return new NioServerSocketChannel(listener);
        }
        listener.configureBlocking(false); // the duplicate shares the flag: epoll's accept must not block
        return new EpollServerSocketChannel(LiveUpdate.duplicate(listener));
    }

    /** The transport's child channel over a connection: parented for NIO, over the raw descriptor for epoll. */
    static Channel childChannel(Transport transport, Channel server, TcpConnection connection) {
        if (transport == Transport.NIO) {
            return new NioSocketChannel(server, connection.channel());
        }
        return new EpollSocketChannel(connection.descriptor());
    }

    /**
     * The service is ready: {@link LiveUpdate#ready(UpgradeHooks)} with this object as the hooks,
     * then the server serves. In a successor this is where the predecessor commits; the taken-over
     * connections are then served with what they carried, before anything new is read.
     *
     * @throws LiveUpdateException ECANCELED in a successor whose predecessor rolled back: exit
     *         without serving
     */
    public void ready() throws InterruptedException {
        synchronized (this) {
            if (bootstrap == null) {
                throw new LiveUpdateException(Errno.EINVAL, "call bind before ready");
            }
            if (ready) {
                throw new LiveUpdateException(Errno.EINVAL, "ready was called already");
            }
            ready = true;
        }
        live.ready(this);
        TakeOver parts;
        synchronized (this) {
            parts = takeOver;
            takeOver = null;
        }
        if (parts != null) {
            parts.finishSessions(); // the files are the application's now, and can be preserved anew
        }
        register();
        if (parts != null) {
            orchestrator.createSession(LISTENER_SESSION).preserve(1, listener);
            for (TakeOver.Connection connection : parts.connections()) {
                InFlight.carry(connection.channel(), connection.unread(), connection.unwritten());
                server.pipeline().fireChannelRead(connection.channel()); // as if just accepted
            }
        }
        server.eventLoop().execute(new SetAutoRead(server, true)::call);
        rehearse();
    }

    /** Registers the server channel with the bootstrap's settings, its acceptor behind luo4j's tracker; not reading yet. */
    private void register() throws InterruptedException {
        ChannelHandler applicationHandler = bootstrap.config().handler();
        ServerChannel channel = (ServerChannel) server;
        ChannelFuture registered = bootstrap.clone()
                .channelFactory((io.netty.channel.ChannelFactory<ServerChannel>) () -> channel)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("luo4j-children", new ChildTracker(NettyLiveUpdate.this));
                        if (applicationHandler != null) {
                            ch.pipeline().addLast(applicationHandler);
                        }
                    }
                })
                .register();
        registered.sync();
        // the bootstrap adds its acceptor in a task on the server's loop: wait for it (FIFO)
        awaitTask(server.eventLoop().submit(new SetAutoRead(server, false)), "register");
    }

    /** How often {@link #rehearse()} runs the code that stops the server channel at an upgrade. */
    private static final int REHEARSALS = 200;

    /**
     * Once the server serves, on a thread of its own: the code that stops accepting at an upgrade
     * runs, harmlessly (it turns reads on, which they are), so that at the upgrade it runs compiled,
     * not interpreted, while clients wait.
     */
    private void rehearse() {
        Channel channel = server;
        Thread.ofPlatform().daemon().name("luo4j-netty-rehearsal").start(() -> {
            for (int i = 0; i < REHEARSALS && channel.isOpen(); i++) {
                awaitTask(channel.eventLoop().submit(new SetAutoRead(channel, true)), "rehearse");
            }
        });
    }

    /** Sets a channel's autoRead, on its event loop. */
    private record SetAutoRead(Channel channel, boolean on) implements java.util.concurrent.Callable<Object> {
        @Override
        public Object call() {
            channel.config().setAutoRead(on);
            return null;
        }
    }

    /**
     * A child channel passes through the server's pipeline (accepted, or taken over): preserve it
     * in a session of its own and keep its unanswered bytes. False when it could not be preserved
     * (it is then closed).
     */
    boolean adopt(Channel child) {
        TcpConnection connection;
        try {
            connection = connectionOf(child);
        } catch (LiveUpdateException | IOException e) {
            return refuse(child, e);
        }
        boolean takenOver = isTakenOver(child);
        // a taken-over child is preserved again once it is active, on its own event loop, after its
        // carried bytes: its clients waited through the upgrade, and are answered first
        InFlight inFlight = InFlight.install(child, connection, takenOver ? () -> preserve(child, connection) : null);
        children.put(child, inFlight);
        return takenOver || preserve(child, connection);
    }

    /**
     * Preserves {@code child}'s connection in a session of its own, released when it closes. Runs
     * where the child cannot close meanwhile: before it is registered, or on its event loop.
     */
    private boolean preserve(Channel child, TcpConnection connection) {
        if (!child.isOpen()) {
            children.remove(child);
            return false;
        }
        Session session = null;
        try {
            synchronized (this) {
                session = orchestrator.createSession(CONNECTION_PREFIX + nextConnection++);
            }
            session.preserve(1, connection);
        } catch (LiveUpdateException e) {
            if (session != null) {
                session.close();
            }
            return refuse(child, e);
        }
        Session preserved = session;
        child.closeFuture().addListener(new ChannelFutureListener() {
            @Override
            public void operationComplete(ChannelFuture closed) {
                children.remove(child);
                release(preserved);
            }
        });
        return true;
    }

    private boolean refuse(Channel child, Exception e) {
        children.remove(child);
        LOG.log(System.Logger.Level.WARNING, "closing connection " + child + ": it cannot be preserved for an upgrade (" + e + ")");
        child.close();
        return false;
    }

    private TcpConnection connectionOf(Channel child) throws IOException {
        if (child instanceof NioSocketChannel nio) {
            return TcpConnection.of((java.nio.channels.SocketChannel) nio.unsafe().ch());
        }
        if (child instanceof EpollSocketChannel epoll) {
            return TcpConnection.ofDescriptor(epoll.fd().intValue());
        }
        throw new IOException("a child channel of an unknown transport: " + child.getClass().getName());
    }

    /** Closes a closed connection's session; after a commit the orchestrator refuses (ESHUTDOWN), and nothing is left to do. */
    private static void release(Session session) {
        try {
            session.close();
        } catch (LiveUpdateException e) {
            if (e.reason() != Errno.ESHUTDOWN) {
                LOG.log(System.Logger.Level.WARNING, "could not release a closed connection's session " + session.name() + ": " + e);
            }
        }
    }

    /**
     * Whether {@code child} was taken over from the predecessor rather than accepted by this
     * process: its pipeline sees {@code channelActive} for a connection that is not new (a handler
     * that greets new clients, or counts them, asks this).
     */
    public static boolean isTakenOver(Channel child) {
        return Boolean.TRUE.equals(child.attr(InFlight.TAKEN_OVER).get());
    }

    /** The open child channels, preserved: for tests and status. */
    public int connections() {
        return children.size();
    }

    /** Blocks until a successor serves every client (after a committed upgrade); then end the process. */
    public void awaitSuccessor() throws InterruptedException {
        successorServes.await();
    }

    /** Like {@link #awaitSuccessor()}, at most {@code timeout}; true once a successor serves. */
    public boolean awaitSuccessor(Duration timeout) throws InterruptedException {
        return successorServes.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---------------------------------------------------------------- upgrade hooks

    /**
     * Stops accepting, then on every child's event loop stops reading, records the unanswered
     * bytes and flushes; returns once every reply has been written.
     *
     * @throws LiveUpdateException EBUSY when replies are still unwritten after {@link #DRAIN_LIMIT}
     *         (the upgrade rolls back, and {@link #takeWorkAgain()} follows)
     */
    @Override
    public void stopTakingWork() {
        Channel serverChannel = server;
        awaitTask(serverChannel.eventLoop().submit(new SetAutoRead(serverChannel, false)), "stop accepting");
        List<Future<ChannelFuture>> stopped = new ArrayList<>();
        for (Map.Entry<Channel, InFlight> child : children.entrySet()) {
            stopped.add(child.getKey().eventLoop().submit(() -> child.getValue().stop()));
        }
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        int unwritten = 0;
        for (Future<ChannelFuture> stop : stopped) {
            ChannelFuture drained = awaitTask(stop, "stop reading");
            long left = deadline - System.nanoTime();
            if (drained != null && !drained.awaitUninterruptibly(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                unwritten++;
            }
        }
        if (unwritten > 0) {
            throw new LiveUpdateException(Errno.EBUSY, unwritten + " connection(s) still had replies unwritten after "
                    + DRAIN_LIMIT.toMillis() + " ms (a client that does not read): the upgrade is refused, the server serves on");
        }
    }

    private static <T> T awaitTask(Future<T> task, String what) {
        if (!task.awaitUninterruptibly(10, TimeUnit.SECONDS)) {
            throw new LiveUpdateException(Errno.ETIMEDOUT, "an event loop did not " + what + " within 10 s");
        }
        if (!task.isSuccess()) {
            throw new LiveUpdateException(Errno.EIO, "an event loop could not " + what + ": " + task.cause(), task.cause());
        }
        return task.getNow();
    }

    /** The upgrade rolled back: every channel reads again, with everything it had. */
    @Override
    public void takeWorkAgain() {
        for (Map.Entry<Channel, InFlight> child : children.entrySet()) {
            child.getKey().eventLoop().execute(() -> child.getValue().resume());
        }
        Channel serverChannel = server;
        serverChannel.eventLoop().execute(() -> serverChannel.config().setAutoRead(true));
    }

    /** The successor serves: {@link #awaitSuccessor()} returns. */
    @Override
    public void successorServes() {
        successorServes.countDown();
    }

    /**
     * The application's part of luo4j's start-up warm-up for this transport: throwaway listeners and
     * connections are preserved and taken over with this class's own take-over code, so that a
     * successor's real take-over, which clients wait for, runs compiled code. Give it to
     * {@link LiveUpdate.Builder#warmUp(WarmUp)}.
     */
    public static WarmUp warmUp(Transport transport) {
        return new NettyWarmUp(transport);
    }
}
