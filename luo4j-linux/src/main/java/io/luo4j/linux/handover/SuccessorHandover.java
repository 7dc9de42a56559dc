package io.luo4j.linux.handover;

import io.luo4j.Errno;
import io.luo4j.Handover;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.ProcessExit;
import io.luo4j.linux.internal.SealedMemfd;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One upgrade, seen from the successor: connect back to the predecessor, present the nonce, receive
 * the image and the descriptors, then report ready (or the failure) and wait for the decision.
 *
 * <p>After READY the predecessor decides. COMMIT: the successor serves. ABORT: it must exit, the
 * predecessor serves on. After COMMIT the predecessor keeps the connection open until it has retired;
 * {@link #keepAliveUntilLetGo} returns when it closes it (or dies), which is when the successor
 * takes the control socket over.
 *
 * <p>The predecessor dying is seen as the end of the connection (the kernel closes a dead process's
 * descriptors) and confirmed with a pidfd ({@link ProcessExit}), which sees the exit even while the
 * dead predecessor stays a zombie. Dead before the descriptors arrived: this successor has nothing
 * and fails. Dead after READY: nobody else can serve, and this successor holds everything, so it
 * takes over.
 */
public final class SuccessorHandover implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux.handover");
    private static final int SLICE_MILLIS = 100;

    private final SeqpacketSocket socket;
    private final ProcessExit predecessor;
    private final Arena imageArena = Arena.ofShared();
    private final byte[] nonce;
    private static final long HEARTBEAT_NANOS = 100_000_000L;
    private static final long FINISHED_POLL_MILLIS = 10;
    private boolean closed;

    /** A handover over {@code socket}, connected to the predecessor that {@code predecessor} watches. */
    SuccessorHandover(SeqpacketSocket socket, ProcessExit predecessor) {
        this(socket, predecessor, new byte[0]);
    }

    private SuccessorHandover(SeqpacketSocket socket, ProcessExit predecessor, byte[] nonce) {
        this.socket = socket;
        this.predecessor = predecessor;
        this.nonce = nonce;
    }

    /**
     * The handover this process was started for, if its environment names one: connected, and not
     * greeted yet. The predecessor freezes as soon as it hears {@link #hello}, so what this process
     * can prepare without the frozen state belongs before that.
     */
    public static Optional<SuccessorHandover> fromEnvironment() {
        Map<String, String> env = System.getenv();
        String path = env.get(SuccessorProcess.SOCKET_VARIABLE);
        if (path == null || path.isEmpty()) {
            return Optional.empty();
        }
        byte[] nonce;
        long predecessorPid;
        try {
            nonce = HexFormat.of().parseHex(env.getOrDefault(SuccessorProcess.NONCE_VARIABLE, ""));
            predecessorPid = Long.parseLong(env.getOrDefault(SuccessorProcess.PREDECESSOR_VARIABLE, "0"));
        } catch (IllegalArgumentException e) {
            throw new LiveUpdateException(Errno.EINVAL, "the handover environment is malformed (" + e.getMessage()
                    + "): a successor is started by its predecessor, not by hand");
        }
        SeqpacketSocket socket;
        ProcessExit predecessor;
        try {
            socket = SeqpacketSocket.connect(Path.of(path));
            predecessor = ProcessExit.watch(predecessorPid);
        } catch (LiveUpdateException e) {
            throw new LiveUpdateException(e.reason(), "this process was started as the successor of pid " + predecessorPid
                    + " but cannot reach its handover socket " + path + " (" + e.detail() + "): the predecessor is gone or gave up;"
                    + " nothing was taken over. Start the service without the LUO4J_HANDOVER_* variables to start it cold", e);
        }
        return Optional.of(new SuccessorHandover(socket, predecessor, nonce));
    }

    /**
     * Says HELLO with the nonce, this service's {@code name} and its {@code identity} (what the
     * predecessor checks against its own). The predecessor then freezes and sends everything.
     */
    public void hello(String name, String identity) {
        try {
            socket.send(Message.encode(Message.Type.HELLO, out -> {
                out.write(nonce);
                out.writeLong(ProcessHandle.current().pid());
                out.writeUTF(name);
                out.writeUTF(identity);
            }));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Waits for the image and every descriptor: the image mapped read-only (valid until this
     * handover is closed), the descriptors close-on-exec and owned by the caller, in the order the
     * image names them, and the generation the predecessor announced (the caller checks it against
     * the image's).
     */
    public Handover receive() {
        Incoming header = receive("the image");
        int[] imageFds = header.fds();
        if (header.message().type() != Message.Type.IMAGE || imageFds.length > 1) {
            SeqpacketSocket.closeAll(imageFds);
            throw new LiveUpdateException(Errno.EPROTO, "expected the image, got " + header.message().type());
        }
        ImageHeader announced;
        ByteBuffer image;
        try {
            announced = header.message().read(in -> new ImageHeader(in.readLong(), in.readLong(), in.readInt(), in.readAllBytes()));
            if (announced.descriptors() < 0) {
                throw new LiveUpdateException(Errno.EPROTO, "the image announced " + announced.descriptors() + " descriptors");
            }
            if (imageFds.length == 1) {
                image = SealedMemfd.map(imageFds[0], announced.length(), imageArena);
            } else if (announced.inline().length == announced.length()) {
                image = ByteBuffer.wrap(announced.inline());
            } else {
                throw new LiveUpdateException(Errno.EBADMSG, "the image announced " + announced.length() + " bytes but "
                        + announced.inline().length + " came");
            }
        } finally {
            SeqpacketSocket.closeAll(imageFds); // a mapping outlives its descriptor
        }
        int[] descriptors = new int[announced.descriptors()];
        int count = 0;
        try {
            while (true) {
                Incoming next = receive("descriptors");
                if (next.message().type() == Message.Type.END) {
                    break;
                }
                if (next.message().type() != Message.Type.DESCRIPTORS || count + next.fds().length > descriptors.length) {
                    SeqpacketSocket.closeAll(next.fds());
                    throw new LiveUpdateException(Errno.EPROTO, "unexpected " + next.message().type() + " during the descriptor transfer");
                }
                System.arraycopy(next.fds(), 0, descriptors, count, next.fds().length);
                count += next.fds().length;
            }
            if (count != descriptors.length) {
                throw new LiveUpdateException(Errno.EBADMSG, count + " of " + descriptors.length + " descriptors arrived");
            }
            return new Handover(image, descriptors, announced.generation());
        } catch (RuntimeException e) {
            SeqpacketSocket.closeAll(Arrays.copyOf(descriptors, count));
            throw e;
        }
    }

    private record ImageHeader(long generation, long length, int descriptors, byte[] inline) {}

    /** Tells the predecessor this successor cannot take over; it rolls back. */
    public void fail(LiveUpdateException reason) {
        try {
            socket.send(Message.failure(Message.Type.FAIL, reason));
        } catch (LiveUpdateException e) {
            LOG.log(Level.WARNING, "could not report the failure to the predecessor: " + e.getMessage());
        }
    }

    /**
     * Reports ready and waits for the predecessor's decision; returns when this successor serves
     * (COMMIT, or the predecessor died after READY: nobody else can serve).
     *
     * @throws LiveUpdateException ECANCELED when the predecessor rolled back: this process must exit
     */
    public void ready() {
        try {
            socket.send(Message.encode(Message.Type.READY));
            Incoming decision = receive("the commit");
            switch (decision.message().type()) {
                case COMMIT -> { }
                case ABORT -> throw new LiveUpdateException(Errno.ECANCELED, "the predecessor rolled back ("
                        + decision.message().failure("abort").getMessage() + "): this successor must exit");
                default -> throw new LiveUpdateException(Errno.EPROTO, "expected COMMIT, got " + decision.message().type());
            }
        } catch (LiveUpdateException e) {
            if (e.reason() == Errno.ECONNRESET && predecessorExited()) {
                LOG.log(Level.WARNING, "the predecessor died before confirming the commit; this successor holds everything and takes over");
                return;
            }
            throw e;
        }
    }

    /**
     * After the commit, until the predecessor lets go (it closes the connection after its grace
     * period and its answer to luoctl, or it dies): says ALIVE every 100 ms, and FINISHED once
     * {@code takenOver} says the application has taken everything over (asked at every tick).
     * Returns when the connection has ended.
     */
    public void keepAliveUntilLetGo(BooleanSupplier takenOver) {
        byte[] alive = Message.encode(Message.Type.ALIVE);
        boolean finished = false;
        long nextAlive = System.nanoTime();
        try {
            while (true) {
                if (System.nanoTime() - nextAlive >= 0) {
                    socket.send(alive);
                    nextAlive = System.nanoTime() + HEARTBEAT_NANOS;
                }
                if (!finished && takenOver.getAsBoolean()) {
                    socket.send(Message.encode(Message.Type.FINISHED));
                    finished = true;
                }
                long untilAlive = (nextAlive - System.nanoTime()) / 1_000_000;
                // until FINISHED, the application is asked every 10 ms: the predecessor retires on it
                int wait = (int) Math.max(1, finished ? untilAlive : Math.min(FINISHED_POLL_MILLIS, untilAlive));
                if (socket.receive(wait) != null) {
                    LOG.log(Level.DEBUG, "the predecessor sent more after COMMIT; ignored");
                }
            }
        } catch (LiveUpdateException gone) {
            // the end of the connection: the predecessor let go, or died
        }
    }

    /** A decoded message and the descriptors that came with it. */
    private record Incoming(Message message, int[] fds) {}

    private Incoming receive(String what) {
        while (true) {
            SeqpacketSocket.Message raw = socket.receive(SLICE_MILLIS);
            if (raw != null) {
                return new Incoming(Message.decode(raw.payload()), raw.fds());
            }
            if (predecessorExited()) {
                throw new LiveUpdateException(Errno.ECONNRESET, "the predecessor died while this successor waited for " + what);
            }
        }
    }

    private boolean predecessorExited() {
        return predecessor.exited();
    }

    /** Closes the handover socket and unmaps the image; closing again does nothing. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            socket.close();
            predecessor.close();
            imageArena.close();
        }
    }
}
