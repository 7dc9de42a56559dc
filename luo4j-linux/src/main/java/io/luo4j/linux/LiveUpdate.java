package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.FileHandler;
import io.luo4j.Flb;
import io.luo4j.Limits;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.control.ControlServer;
import io.luo4j.linux.control.ControlTarget;
import io.luo4j.linux.control.Report;
import io.luo4j.linux.control.StatusReport;
import io.luo4j.linux.handover.HandoverRequest;
import io.luo4j.linux.handover.PredecessorHandover;
import io.luo4j.linux.handover.SuccessorHandover;
import io.luo4j.linux.handover.UpgradeOutcome;
import io.luo4j.linux.internal.JdkChannels;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A service under luo4j: its orchestrator with the built-in handlers, its control socket, and the
 * handover to and from other versions of itself. The package documentation tells the whole flow.
 *
 * <pre>{@code
 * LiveUpdate live = LiveUpdate.builder("web").listener(myListener).start();
 * LiveUpdateOrchestrator luo = live.orchestrator();
 * if (live.isSuccessor()) {
 *     Session s = luo.retrieveSession("web");       // take everything over
 *     listener = s.retrieve(1, ServerSocketChannel.class);
 *     live.ready();                                  // the predecessor commits; now serve
 *     s.finish();
 * } else {
 *     listener = ServerSocketChannel.open().bind(...);
 * }
 * luo.createSession("web").preserve(1, listener);    // ready for the next upgrade
 * }</pre>
 *
 * <p>The JVM needs {@code --enable-native-access=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
 * --add-opens java.base/java.io=ALL-UNNAMED} (bin/luoctl sets them; a successor started from the
 * service's own command line has them too); {@link #start} fails with EOPNOTSUPP naming them
 * otherwise.
 */
public final class LiveUpdate implements AutoCloseable {
    /** The session luo4j keeps its own files in (the control socket). */
    public static final String INTERNAL_SESSION = "luo4j";
    private static final long CONTROL_SOCKET_TOKEN = 1;
    /** How long after the commit luo4j waits before it takes the control socket over. */
    private static final long TAKE_OVER_DELAY_MILLIS = 200;
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux");

    private final String name;
    private final Path runtimeDirectory;
    private final Duration timeout;
    private final List<String> command;
    private final UpgradeListener listener;
    private final LiveUpdateOrchestrator orchestrator;
    private final ArenaHandlers arenas;
    private final SuccessorHandover successor;
    private final AtomicBoolean upgrading = new AtomicBoolean();
    /** luo4j's own outgoing sessions, closed at shutdown. */
    private final List<Session> ownSessions = new ArrayList<>();
    private ServerSocketChannel controlListener;
    private ControlServer controlServer;
    /** The received image, mapped until the handover closes. */
    private ByteBuffer receivedImage;
    private volatile boolean serving;
    private volatile boolean handedOver;
    private volatile UpgradeOutcome lastUpgrade;
    private MemoryArena arena;

    private LiveUpdate(Builder b) {
        this.name = RuntimeDirectory.checkName(b.name);
        this.runtimeDirectory = RuntimeDirectory.ensure(b.runtimeDirectory != null ? b.runtimeDirectory : RuntimeDirectory.resolve());
        this.timeout = b.timeout;
        this.command = b.command;
        this.listener = b.listener;
        JdkChannels.requireAccess();
        this.orchestrator = LiveUpdateOrchestrator.builder().limits(b.limits).build();
        this.arenas = new ArenaHandlers(() -> orchestrator);
        for (FileHandler handler : b.handlers) {
            orchestrator.registerHandler(handler);
        }
        for (Map.Entry<FileHandler, Flb> flb : b.flbs) {
            orchestrator.registerFlb(flb.getKey(), flb.getValue());
        }
        for (FileHandler builtIn : builtInHandlers()) {
            orchestrator.registerHandler(builtIn);
        }
        orchestrator.registerFlb(arenas.regionHandler(), arenas.flb());
        if (b.warmUp) {
            Warmup.run(runtimeDirectory, luo -> descriptorHandlers().forEach(luo::registerHandler));
        }
        this.successor = SuccessorHandover.fromEnvironment().orElse(null);
    }

    /**
     * Fresh instances of the built-in handlers for descriptor-backed files (memfd, TCP and Unix
     * listeners, TCP connections, regular files), for an orchestrator of one's own; the arena's
     * handler and FLB belong to a {@code LiveUpdate} and are not among them.
     */
    public static List<FileHandler> descriptorHandlers() {
        return List.of(new MemfdHandler(), ListenerHandler.tcp(), ListenerHandler.unix(),
                new ConnectionHandler(), new RegularFileHandler());
    }

    private List<FileHandler> builtInHandlers() {
        List<FileHandler> handlers = new ArrayList<>(descriptorHandlers());
        handlers.add(arenas.regionHandler());
        return handlers;
    }

    /** The compatible strings of the built-in handlers, in probe order. */
    public static List<String> builtInCompatibles() {
        return List.of(MemfdHandler.COMPATIBLE, ListenerHandler.TCP, ListenerHandler.UNIX, ConnectionHandler.COMPATIBLE,
                RegularFileHandler.COMPATIBLE, ArenaHandlers.REGION_COMPATIBLE);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    private void startCold() {
        controlListener = bindControlSocket();
        preserveControlSocket();
        controlServer = ControlServer.start(controlListener, new Target());
        serving = true;
    }

    private void startAsSuccessor() {
        SuccessorHandover.Received received = successor.receive();
        try {
            orchestrator.loadIncoming(received.image(), received.descriptors());
        } catch (LiveUpdateException e) {
            SeqpacketSocket.closeAll(received.descriptors());
            successor.fail(e);
            throw e;
        }
        try {
            orchestrator.deserialize();
            receivedImage = received.image();
        } catch (LiveUpdateException e) {
            successor.fail(e);
            throw e;
        }
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
     * The successor says it has taken everything over and is ready; returns once the predecessor
     * committed (or is gone), and the service then serves at once: luo4j takes its control socket
     * over in the background. Before this, the successor must not read from preserved sockets nor
     * write to preserved memory: the predecessor may still roll back. Does nothing in a process
     * started cold.
     *
     * @throws LiveUpdateException ECANCELED when the predecessor rolled back: exit without serving
     */
    public synchronized void ready() {
        if (serving) {
            return;
        }
        successor.ready();
        serving = true;
        // every client waits until the application serves: luo4j's own work waits for a thread of its own
        Thread.ofPlatform().name("luo4j-take-over").start(this::completeTakeOverSoon);
    }

    /** Lets the application take its clients back first (on a small machine every core counts), then takes over. */
    private void completeTakeOverSoon() {
        try {
            Thread.sleep(TAKE_OVER_DELAY_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completeTakeOver();
    }

    /** After the commit: take the control socket over, keep the image, be ready for the next upgrade. */
    private synchronized void completeTakeOver() {
        Session internalIncoming = orchestrator.retrieveSession(INTERNAL_SESSION);
        controlListener = internalIncoming.retrieve(CONTROL_SOCKET_TOKEN, ServerSocketChannel.class);
        try {
            saveImage(receivedImage); // the image that took over, for luoctl inspect
        } finally {
            successor.close();
        }
        internalIncoming.finish();
        preserveControlSocket();
        controlServer = ControlServer.start(controlListener, new Target());
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

    /**
     * Upgrades this service now: starts the successor ({@code command}, or this process's own
     * command line when empty), hands everything over, and commits or rolls back. One at a time.
     * After a committed upgrade the caller must let this process end ({@link UpgradeListener#committed}).
     *
     * @param timeout until the successor is ready; zero for the service's default
     */
    public UpgradeOutcome upgrade(List<String> command, Duration timeout, Consumer<String> progress) {
        if (!serving) {
            return refused(Errno.EBUSY, "this process is not serving yet (a successor before its commit)");
        }
        if (!upgrading.compareAndSet(false, true)) {
            return refused(Errno.EBUSY, "an upgrade is already in progress: wait for it to commit or roll back");
        }
        boolean committed = false;
        try {
            List<String> successorCommand = command.isEmpty() ? ownCommand() : command;
            Duration limit = timeout.isZero() ? this.timeout : timeout;
            HandoverRequest request = new HandoverRequest(successorCommand, Map.of(), limit, runtimeDirectory,
                    Boolean.getBoolean("luo4j.fault.corruptImage"));
            UpgradeOutcome outcome = PredecessorHandover.run(request, orchestrator, new PredecessorHandover.Service() {
                @Override
                public void quiesce() {
                    listener.quiesce();
                }

                @Override
                public void resume() {
                    listener.resume();
                }

                @Override
                public void committed() {
                    controlServer.stopAccepting();
                }
            }, progress);
            lastUpgrade = outcome;
            committed = outcome.committed();
            handedOver = committed;
            return outcome;
        } catch (LiveUpdateException e) {
            return refused(e.reason(), e.detail());
        } finally {
            if (!committed) {
                upgrading.set(false);
            }
        }
    }

    private UpgradeOutcome refused(Errno reason, String message) {
        UpgradeOutcome outcome = new UpgradeOutcome(false, generation(), reason, message, 0, 0, 0, 0, 0, 0, 0);
        lastUpgrade = outcome;
        return outcome;
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
     * rest). Otherwise it is a shutdown: the control socket's session is closed and its file removed.
     */
    @Override
    public synchronized void close() {
        if (controlServer != null) {
            controlServer.close();
        }
        if (successor != null) {
            successor.close();
        }
        if (handedOver) {
            return;
        }
        for (Session session : List.copyOf(ownSessions)) {
            try {
                session.close();
            } catch (LiveUpdateException e) {
                LOG.log(Level.WARNING, "closing session " + session.name() + ": " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(controlSocket());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove " + controlSocket() + ": " + e);
        }
    }

    // ---------------------------------------------------------------- internals

    private void preserveControlSocket() {
        Session internal = orchestrator.createSession(INTERNAL_SESSION);
        internal.preserve(CONTROL_SOCKET_TOKEN, controlListener);
        ownSessions.add(internal);
    }

    private ServerSocketChannel bindControlSocket() {
        Path path = controlSocket();
        if (Files.exists(path)) {
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(path));
                throw new LiveUpdateException(Errno.EADDRINUSE, "service " + name + " is already running (" + path
                        + " answers): stop it, or give this instance another name");
            } catch (IOException stale) {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new LiveUpdateException(Errno.EACCES, "cannot remove the stale control socket " + path + ": " + e, e);
                }
            }
        }
        try {
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(path), 64);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            return channel;
        } catch (IOException e) {
            throw new LiveUpdateException(Errno.EADDRINUSE, "cannot bind the control socket " + path + ": " + e.getMessage(), e);
        }
    }

    private void saveImage(ByteBuffer image) {
        Path path = RuntimeDirectory.lastImage(runtimeDirectory, name);
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            out.write(image.duplicate());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot keep a copy of the handover image at " + path + ": " + e);
        }
    }

    private List<String> ownCommand() {
        if (!command.isEmpty()) {
            return command;
        }
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> executable = info.command();
        Optional<String[]> arguments = info.arguments();
        if (executable.isEmpty() || arguments.isEmpty()) {
            throw new LiveUpdateException(Errno.EOPNOTSUPP, "cannot read this process's command line to start its successor:"
                    + " pass the successor's command (luoctl upgrade --exec)");
        }
        List<String> own = new ArrayList<>();
        own.add(executable.get());
        own.addAll(List.of(arguments.get()));
        return own;
    }

    /** The control socket's view of this service. */
    private final class Target implements ControlTarget {
        @Override
        public Report status() {
            return StatusReport.status(name, ProcessHandle.current().pid(), orchestrator.status(), lastUpgrade);
        }

        @Override
        public UpgradeOutcome upgrade(List<String> successorCommand, Duration requestTimeout, Consumer<String> progress) {
            return LiveUpdate.this.upgrade(successorCommand, requestTimeout, progress);
        }

        @Override
        public Report upgradeReport(UpgradeOutcome outcome) {
            return StatusReport.upgrade(name, outcome);
        }

        @Override
        public void retire() {
            listener.committed();
        }
    }

    /** Configures and starts a service under luo4j. */
    public static final class Builder {
        private final String name;
        private Path runtimeDirectory;
        private Limits limits = Limits.defaults();
        private Duration timeout = Duration.ofSeconds(60);
        private List<String> command = List.of();
        private UpgradeListener listener = new UpgradeListener() {};
        private boolean warmUp = true;
        private final List<FileHandler> handlers = new ArrayList<>();
        private final List<Map.Entry<FileHandler, Flb>> flbs = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** The directory of the control socket (default: {@link RuntimeDirectory#resolve()}). */
        public Builder runtimeDirectory(Path directory) {
            this.runtimeDirectory = directory;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /** The default upgrade timeout (60 s): from the request until the successor is ready. */
        public Builder upgradeTimeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The successor's command line (default: this process's own). */
        public Builder successorCommand(List<String> command) {
            this.command = List.copyOf(command);
            return this;
        }

        public Builder listener(UpgradeListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Whether to run one throwaway live update at start-up (default: yes), so the real upgrade
         * does its class loading before, not during, the pause.
         */
        public Builder warmUp(boolean warmUp) {
            this.warmUp = warmUp;
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
         * Starts: registers the handlers; in a successor, receives the predecessor's image and
         * descriptors (the application then retrieves them and calls {@link LiveUpdate#ready()});
         * otherwise binds the control socket and serves it.
         *
         * @throws LiveUpdateException a bad image or a missing handler (the predecessor rolls back),
         *         EADDRINUSE when the service already runs, EOPNOTSUPP without the JVM flags
         */
        public LiveUpdate start() {
            LiveUpdate live = new LiveUpdate(this);
            if (live.isSuccessor()) {
                live.startAsSuccessor();
            } else {
                live.startCold();
            }
            return live;
        }

    }
}
