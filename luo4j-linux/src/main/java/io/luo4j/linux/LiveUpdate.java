package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.FileHandler;
import io.luo4j.Flb;
import io.luo4j.Limits;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.control.ControlTarget;
import io.luo4j.linux.control.Report;
import io.luo4j.linux.control.RuntimeDirectory;
import io.luo4j.linux.control.StatusReport;
import io.luo4j.linux.control.UpgradeOutcome;
import io.luo4j.linux.control.UpgradeRequest;
import io.luo4j.linux.handover.SuccessorHandover;
import io.luo4j.linux.handover.SuccessorProcess;
import io.luo4j.linux.internal.JdkChannels;
import io.luo4j.linux.internal.Libc;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A service under luo4j: its orchestrator with the built-in handlers, its control socket, and the
 * handover to and from other versions of itself. The package documentation tells the whole flow;
 * {@link Builder#start()} lists the steps of start-up.
 *
 * <pre>{@code
 * LiveUpdate live = LiveUpdate.builder("web").start();
 * LiveUpdateOrchestrator luo = live.orchestrator();
 * Session in = null;
 * if (live.isSuccessor()) {
 *     in = luo.retrieveSession("web");               // take everything over
 *     listener = in.retrieve(1, ServerSocketChannel.class);
 * } else {
 *     listener = ServerSocketChannel.open().bind(...);
 * }
 * Server server = new Server(listener);               // implements UpgradeHooks
 * live.ready(server);                                 // a successor: the predecessor commits now
 * if (in != null) in.finish();
 * luo.createSession("web").preserve(1, listener);    // ready for the next upgrade
 * server.serve();
 * }</pre>
 *
 * <p>An upgrade is asked for over the control socket ({@code luoctl upgrade NAME}); the request
 * goes down to {@code PredecessorUpgrade}, the outcome comes back up, the control socket writes the
 * answer, and only then does the service retire: {@link UpgradeHooks#successorServes()}. luo4j
 * never ends the process itself.
 *
 * <p>Start-up is {@link Builder#start()} (handlers, warm-up, then the predecessor's handover or the
 * control socket), the application's own set-up, then {@link #ready(UpgradeHooks)}.
 *
 * <p>The JVM needs native access for luo4j-linux and the opens of {@code java.base/sun.nio.ch} and
 * {@code java.base/java.io} to it ({@link JavaCommand#requiredOptions()}); {@link Builder#start()}
 * fails with EOPNOTSUPP naming them otherwise.
 */
public final class LiveUpdate implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux");

    private final String name;
    private final Path runtimeDirectory;
    /** The service's upgrade settings, for what a request leaves open. */
    private final UpgradeRequest defaults;
    private volatile UpgradeHooks hooks = new UpgradeHooks() {};
    private final LiveUpdateOrchestrator orchestrator;
    private final ArenaHandlers arenas;
    private final PredecessorUpgrade upgrades;
    /** In a successor: its part of the upgrade that started it; null when started cold. */
    private SuccessorStart successor;
    private ControlSocket control;
    /** Whether upgrades may be asked for: after ready, and in a successor once its predecessor let go. */
    private volatile boolean serving;
    private boolean readied;
    private volatile UpgradeOutcome lastUpgrade;
    private MemoryArena arena;

    private LiveUpdate(Builder b) {
        this.name = RuntimeDirectory.checkName(b.name);
        this.runtimeDirectory = RuntimeDirectory.ensure(b.runtimeDirectory != null ? b.runtimeDirectory : RuntimeDirectory.resolve());
        this.defaults = new UpgradeRequest(b.command, b.timeout, b.pauseLimit, b.grace);
        this.orchestrator = LiveUpdateOrchestrator.builder().limits(b.limits).build();
        this.arenas = new ArenaHandlers(() -> orchestrator);
        this.upgrades = new PredecessorUpgrade(orchestrator, runtimeDirectory, new SuccessorProcess.ServiceIdentity(name, b.identity));
    }

    /**
     * Fresh instances of the built-in handlers for descriptor-backed files (memfd, TCP and Unix
     * listeners, TCP connections, regular files), for an orchestrator of one's own; the arena's
     * handler and FLB belong to a {@code LiveUpdate} and are not among them.
     */
    public static List<FileHandler> descriptorHandlers() {
        return BuiltInHandlers.forDescriptors();
    }

    /** The compatible strings of the built-in handlers, in probe order. */
    public static List<String> builtInCompatibles() {
        return BuiltInHandlers.compatibles();
    }

    /**
     * A new descriptor for the same open socket or file as {@code channel} (close-on-exec), owned by
     * the caller: for a library that does its own I/O on raw descriptors while luo4j preserves the
     * JDK channel, such as Netty's native epoll transport ({@code new EpollServerSocketChannel(fd)}
     * over a listener luo4j hands over as a {@link java.nio.channels.ServerSocketChannel}). The two
     * descriptors share the socket and its flags (O_NONBLOCK among them); closing one leaves the
     * other open.
     *
     * @param channel a JDK {@link java.nio.channels.ServerSocketChannel}, {@link java.nio.channels.SocketChannel}
     *        or {@link FileChannel}, a {@link TcpConnection} or a {@link Memfd}
     * @throws LiveUpdateException EBADF for another kind of channel or a closed one; EMFILE when
     *         the process has no descriptor left
     */
    public static int duplicate(java.nio.channels.Channel channel) {
        Objects.requireNonNull(channel, "channel");
        if (!channel.isOpen()) {
            throw new LiveUpdateException(Errno.EBADF, "cannot duplicate a closed channel: " + channel);
        }
        int fd = switch (channel) {
            case TcpConnection connection -> connection.descriptor();
            case Memfd memfd -> memfd.fd();
            default -> JdkChannels.fdOf(channel);
        };
        return Libc.dupCloexec(fd);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    // ---------------------------------------------------------------- start-up, step by step

    /** Step 1: the application's handlers and FLBs first (probed first), then the built-in ones. */
    private void registerHandlers(Builder b) {
        for (FileHandler handler : b.handlers) {
            orchestrator.registerHandler(handler);
        }
        for (Map.Entry<FileHandler, Flb> flb : b.flbs) {
            orchestrator.registerFlb(flb.getKey(), flb.getValue());
        }
        for (FileHandler builtIn : BuiltInHandlers.forDescriptors()) {
            orchestrator.registerHandler(builtIn);
        }
        orchestrator.registerHandler(arenas.regionHandler());
        orchestrator.registerFlb(arenas.regionHandler(), arenas.flb());
    }

    /** Step 3, started cold: bind the control socket, preserve it, serve it (upgrades wait for {@link #ready}). */
    private void startCold() {
        SuccessorProcess.removeStaleSockets(runtimeDirectory);
        control = ControlSocket.bind(controlSocket(), name);
        control.serve(orchestrator, new Target());
    }

    /**
     * Step 3, as a successor: luo4j's own thread for after the commit first (no thread is made
     * later, while clients wait), then HELLO (the predecessor freezes), then receive the
     * predecessor's image and descriptors, and load them.
     */
    private void startAsSuccessor(SuccessorHandover handover, String identity) {
        successor = new SuccessorStart(handover, orchestrator, runtimeDirectory, name, defaults.timeout());
        Thread.ofPlatform().name("luo4j-successor").start(() -> {
            try {
                if (successor.afterCommit()) {
                    takeOverControlSocket();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        handover.hello(name, identity);
        successor.load();
    }

    // ---------------------------------------------------------------- for the service

    /** The orchestrator: create sessions, preserve, retrieve, finish. */
    public LiveUpdateOrchestrator orchestrator() {
        return orchestrator;
    }

    /** Whether a predecessor started this process and handed over to it. */
    public boolean isSuccessor() {
        return successor != null;
    }

    /** The live update generation: 0 when started cold. */
    public long generation() {
        return orchestrator.generation();
    }

    /**
     * The service is ready to serve, and {@code hooks} is what it does around its next upgrade.
     * Upgrade requests before this are refused (EBUSY). Called once.
     *
     * <p>In a successor this also says it has taken everything over: it returns once the
     * predecessor committed (or is gone), and the service then serves at once. Before this, the
     * successor must not read from preserved sockets nor write to preserved memory: the predecessor
     * may still roll back. Then, on threads of its own, luo4j tells the predecessor it is alive
     * (every 100 ms) and when the application has finished every incoming session: the
     * predecessor keeps everything through its grace period and takes the service back if this
     * process dies or falls silent first. Once the predecessor lets go (it closes the handover
     * connection when it has answered luoctl), luo4j takes its control socket over and upgrades
     * may be asked for.
     *
     * @throws LiveUpdateException ECANCELED when the predecessor rolled back: exit without serving;
     *         EINVAL when called twice
     */
    public synchronized void ready(UpgradeHooks hooks) {
        if (readied) {
            throw new LiveUpdateException(Errno.EINVAL, "ready was called already: once per process");
        }
        readied = true;
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        if (successor == null) {
            serving = true;
            return;
        }
        successor.ready();
    }

    /** Once the predecessor let go: the control socket from luo4j's own session, served again; upgrades may come. */
    private synchronized void takeOverControlSocket() {
        control = ControlSocket.takeOver(orchestrator, controlSocket());
        control.serve(orchestrator, new Target());
        serving = true;
        LOG.log(Level.INFO, "service " + name + " serves as generation " + generation());
    }

    /**
     * The service's memory arena: in a successor the predecessor's (same pages), otherwise a new one
     * of {@code size} bytes. Regions of it can be preserved; one descriptor carries them all.
     */
    public synchronized MemoryArena arena(String arenaName, long size) {
        if (arena == null) {
            Optional<MemoryArena> incoming = incomingArena();
            arena = incoming.orElseGet(() -> MemoryArena.create(arenaName, size));
            arenas.useArena(arena);
        }
        return arena;
    }

    private Optional<MemoryArena> incomingArena() {
        if (!isSuccessor()) {
            return Optional.empty();
        }
        try {
            return Optional.of((MemoryArena) orchestrator.flbIncoming(arenas.flb()));
        } catch (LiveUpdateException e) {
            return Optional.empty();
        }
    }

    /** The outcome of the last upgrade this process attempted, or null. */
    public UpgradeOutcome lastUpgrade() {
        return lastUpgrade;
    }

    public String name() {
        return name;
    }

    /** The control socket luoctl talks to. */
    public Path controlSocket() {
        return RuntimeDirectory.controlSocket(runtimeDirectory, name);
    }

    /**
     * Stops the control socket. After a committed upgrade that is all (the successor owns the
     * rest). Otherwise it is a shutdown: luo4j's own session is closed and the socket file removed.
     */
    @Override
    public synchronized void close() {
        if (control != null) {
            control.close(upgrades.handedOver());
        }
        if (successor != null) {
            successor.close();
        }
    }

    // ---------------------------------------------------------------- the upgrade

    /** Upgrades on the control socket's request; on a commit, retires once the answer is written. */
    private UpgradeOutcome upgrade(UpgradeRequest asked, Consumer<String> progress) {
        if (!serving) {
            return UpgradeOutcome.refused(generation(), Errno.EBUSY, "this process is not serving yet (a successor before its commit)");
        }
        UpgradeOutcome outcome;
        try {
            UpgradeRequest request = asked.orElse(defaults);
            if (request.command().isEmpty()) {
                request = new UpgradeRequest(ServiceCommandLine.of(List.of()), request.timeout(), request.pauseLimit(), request.grace());
            }
            outcome = upgrades.run(request, hooks, progress);
        } catch (LiveUpdateException e) {
            outcome = UpgradeOutcome.refused(generation(), e.reason(), e.detail());
        }
        lastUpgrade = outcome;
        if (outcome.committed()) {
            Thread.ofPlatform().name("luo4j-retire").start(this::retire);
        }
        return outcome;
    }

    /**
     * After a commit: once the control socket has answered every request it took, let the successor
     * take it over (close the handover connection), then tell the application.
     */
    private void retire() {
        control.awaitTermination();
        upgrades.release();
        hooks.successorServes();
    }

    /** The control socket's view of this service. */
    private final class Target implements ControlTarget {
        @Override
        public String name() {
            return name;
        }

        @Override
        public Report status() {
            return StatusReport.status(name, ProcessHandle.current().pid(), orchestrator.status(), lastUpgrade);
        }

        @Override
        public UpgradeOutcome upgrade(UpgradeRequest request, Consumer<String> progress) {
            return LiveUpdate.this.upgrade(request, progress);
        }
    }

    /** Configures and starts a service under luo4j. */
    public static final class Builder {
        private final String name;
        private Path runtimeDirectory;
        private Limits limits = Limits.defaults();
        private Duration timeout = Duration.ofSeconds(60);
        private Duration pauseLimit = Duration.ofSeconds(1);
        private Duration grace = Duration.ofSeconds(3);
        private List<String> command = List.of();
        private boolean warmUp = true;
        private String identity = "";
        private WarmUp applicationWarmUp;
        private final List<FileHandler> handlers = new ArrayList<>();
        private final List<Map.Entry<FileHandler, Flb>> flbs = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** The directory of the control socket (default: {@code RUNTIME_DIR}, see the package documentation). */
        public Builder runtimeDirectory(Path directory) {
            this.runtimeDirectory = directory;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /**
         * The default upgrade timeout (60 s): from the request until the successor is ready, its
         * start-up included (the service serves meanwhile).
         */
        public Builder upgradeTimeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /**
         * The default pause limit (1 s): from "stop taking work" until the successor is ready, the
         * time clients wait. Past it the upgrade rolls back and the service serves on.
         */
        public Builder pauseLimit(Duration pauseLimit) {
            this.pauseLimit = Objects.requireNonNull(pauseLimit);
            return this;
        }

        /**
         * The default grace period (3 s): after the commit, this process keeps everything until the
         * successor has finished its sessions and lived this long; if it dies sooner, this process
         * takes the service back. Zero lets go at once.
         */
        public Builder gracePeriod(Duration grace) {
            this.grace = Objects.requireNonNull(grace);
            return this;
        }

        /** The successor's command line (default: this process's own). */
        public Builder successorCommand(List<String> command) {
            this.command = List.copyOf(command);
            return this;
        }

        /**
         * Whether start-up runs the warm-up, step 2 of {@link #start()} (default: yes): throwaway
         * live updates inside this process, so the real upgrade's code is loaded and compiled
         * before, not during, the pause. Off: a faster start and a longer first pause.
         */
        public Builder warmUp(boolean warmUp) {
            this.warmUp = warmUp;
            return this;
        }

        /** Adds the application's own part to the warm-up: its sessions and its take-over code. */
        public Builder warmUp(WarmUp applicationPart) {
            this.applicationWarmUp = Objects.requireNonNull(applicationPart);
            return this;
        }

        /**
         * What makes this service itself beyond its name, for example {@code "port=6380 memory=1g"}
         * (default: nothing). A successor started with another name or identity (a mistyped
         * {@code --exec}) is refused at the handshake (EINVAL) instead of taking over as someone else.
         */
        public Builder identity(String identity) {
            this.identity = Objects.requireNonNull(identity);
            return this;
        }

        /** An application file handler, probed before the built-in ones. */
        public Builder handler(FileHandler handler) {
            handlers.add(handler);
            return this;
        }

        /** An application FLB for one of its handlers. */
        public Builder flb(FileHandler handler, Flb flb) {
            flbs.add(Map.entry(handler, flb));
            return this;
        }

        /**
         * Starts, in three steps:
         * <ol>
         *   <li>checks the JVM's flags and registers the handlers: the application's, then the
         *       built-in ones;</li>
         *   <li>warms up ({@link #warmUp(boolean)}), while a predecessor still serves;</li>
         *   <li>as a successor (its environment names a handover): connects to the predecessor,
         *       receives its image and descriptors and loads them; the application then retrieves
         *       them and calls {@link LiveUpdate#ready(UpgradeHooks)}. Started cold: binds the
         *       control socket ({@code RUNTIME_DIR/NAME.sock}) and serves it; upgrades wait for
         *       {@code ready}.</li>
         * </ol>
         *
         * @throws LiveUpdateException a bad image or a missing handler (the predecessor rolls back),
         *         EADDRINUSE when the service already runs, EOPNOTSUPP without the JVM flags
         */
        public LiveUpdate start() {
            JdkChannels.requireAccess();
            LiveUpdate live = new LiveUpdate(this);
            live.registerHandlers(this);
            if (warmUp) {
                WarmUpStep.run(live.runtimeDirectory, applicationWarmUp);
            }
            Optional<SuccessorHandover> handover = SuccessorHandover.fromEnvironment();
            if (handover.isPresent()) {
                live.startAsSuccessor(handover.get(), identity);
            } else {
                live.startCold();
            }
            return live;
        }
    }
}
