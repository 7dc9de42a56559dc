package io.luo4j.linux.handover;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * One upgrade, seen from the successor: connect back to the predecessor, present the nonce, receive
 * the image and the descriptors, then report ready (or the failure) and wait for the commit.
 *
 * <p>After READY the predecessor decides. COMMIT: the successor serves. ABORT: it must exit, the
 * predecessor serves on. The predecessor dying without a word: nobody else can serve any more, and
 * the successor holds everything, so it takes over.
 */
public final class SuccessorHandover implements AutoCloseable {
    static final String SOCKET_VARIABLE = "LUO4J_HANDOVER_SOCKET";
    static final String NONCE_VARIABLE = "LUO4J_HANDOVER_NONCE";
    static final String PREDECESSOR_VARIABLE = "LUO4J_PREDECESSOR_PID";
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux.handover");
    private static final int SLICE_MILLIS = 100;

    private final SeqpacketSocket socket;
    private final long predecessorPid;
    private final Arena imageArena = Arena.ofShared();
    private boolean closed;

    /** A handover over {@code socket}, connected to the predecessor {@code predecessorPid}. */
    SuccessorHandover(SeqpacketSocket socket, long predecessorPid) {
        this.socket = socket;
        this.predecessorPid = predecessorPid;
    }

    /** The handover this process was started for, if its environment names one. */
    public static Optional<SuccessorHandover> fromEnvironment() {
        Map<String, String> env = System.getenv();
        String path = env.get(SOCKET_VARIABLE);
        if (path == null || path.isEmpty()) {
            return Optional.empty();
        }
        byte[] nonce;
        long predecessor;
        try {
            nonce = HexFormat.of().parseHex(env.getOrDefault(NONCE_VARIABLE, ""));
            predecessor = Long.parseLong(env.getOrDefault(PREDECESSOR_VARIABLE, "0"));
        } catch (IllegalArgumentException e) {
            throw new LiveUpdateException(Errno.EINVAL, "the handover environment is malformed (" + e.getMessage()
                    + "): a successor is started by its predecessor, not by hand");
        }
        SeqpacketSocket socket;
        try {
            socket = SeqpacketSocket.connect(Path.of(path));
        } catch (LiveUpdateException e) {
            throw new LiveUpdateException(e.reason(), "this process was started as the successor of pid " + predecessor
                    + " but cannot reach its handover socket " + path + " (" + e.detail() + "): the predecessor is gone or gave up;"
                    + " nothing was taken over. Start the service without the LUO4J_HANDOVER_* variables to start it cold", e);
        }
        try {
            socket.send(Message.encode(Message.Type.HELLO, out -> {
                out.write(nonce);
                out.writeLong(ProcessHandle.current().pid());
            }));
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        return Optional.of(new SuccessorHandover(socket, predecessor));
    }

    /**
     * The image and the descriptors, in the order the image names them.
     *
     * @param image      the image, mapped read-only; valid until this handover is closed
     * @param descriptors the received descriptors, close-on-exec, owned by the caller
     * @param generation the generation the predecessor announced
     */
    public record Received(ByteBuffer image, int[] descriptors, long generation) {}

    /** Waits for the image and every descriptor. */
    public Received receive() {
        Incoming header = receive("the image");
        int[] imageFds = header.fds();
        if (header.message().type() != Message.Type.IMAGE || imageFds.length > 1) {
            SeqpacketSocket.closeAll(imageFds);
            throw new LiveUpdateException(Errno.EPROTO, "expected the image, got " + header.message().type());
        }
        int expected;
        long generation;
        ByteBuffer image;
        try {
            long[] announced = new long[3];
            byte[] inline = header.message().read(in -> {
                announced[0] = in.readLong();
                announced[1] = in.readLong();
                announced[2] = in.readInt();
                return in.readAllBytes();
            });
            generation = announced[0];
            expected = (int) announced[2];
            if (imageFds.length == 1) {
                image = ImageMemfd.map(imageFds[0], announced[1], imageArena);
            } else if (inline.length == announced[1]) {
                image = ByteBuffer.wrap(inline);
            } else {
                throw new LiveUpdateException(Errno.EBADMSG, "the image announced " + announced[1] + " bytes but " + inline.length + " came");
            }
        } finally {
            SeqpacketSocket.closeAll(imageFds); // a mapping outlives its descriptor
        }
        int[] descriptors = new int[expected];
        int count = 0;
        try {
            while (true) {
                Incoming next = receive("descriptors");
                if (next.message().type() == Message.Type.END) {
                    break;
                }
                if (next.message().type() != Message.Type.DESCRIPTORS || count + next.fds().length > expected) {
                    SeqpacketSocket.closeAll(next.fds());
                    throw new LiveUpdateException(Errno.EPROTO, "unexpected " + next.message().type() + " during the descriptor transfer");
                }
                System.arraycopy(next.fds(), 0, descriptors, count, next.fds().length);
                count += next.fds().length;
            }
            if (count != expected) {
                throw new LiveUpdateException(Errno.EBADMSG, count + " of " + expected + " descriptors arrived");
            }
            return new Received(image, descriptors, generation);
        } catch (RuntimeException e) {
            SeqpacketSocket.closeAll(Arrays.copyOf(descriptors, count));
            throw e;
        }
    }

    /** Tells the predecessor this successor cannot take over; it rolls back. */
    public void fail(LiveUpdateException reason) {
        try {
            socket.send(Message.failure(Message.Type.FAIL, reason));
        } catch (LiveUpdateException e) {
            LOG.log(Level.WARNING, "could not report the failure to the predecessor: " + e.getMessage());
        }
    }

    /**
     * Reports ready and waits for the predecessor's decision.
     *
     * @return the generation committed
     * @throws LiveUpdateException ECANCELED when the predecessor rolled back: this process must exit
     */
    public long ready() {
        try {
            socket.send(Message.encode(Message.Type.READY));
            Incoming decision = receive("the commit");
            return switch (decision.message().type()) {
                case COMMIT -> decision.message().read(in -> in.readLong());
                case ABORT -> throw new LiveUpdateException(Errno.ECANCELED, "the predecessor rolled back ("
                        + decision.message().failure("abort").getMessage() + "): this successor must exit");
                default -> throw new LiveUpdateException(Errno.EPROTO, "expected COMMIT, got " + decision.message().type());
            };
        } catch (LiveUpdateException e) {
            if (e.reason() == Errno.ECONNRESET && !predecessorAlive()) {
                LOG.log(Level.WARNING, "the predecessor died before confirming the commit; this successor holds everything and takes over");
                return -1;
            }
            throw e;
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
            if (!predecessorAlive()) {
                throw new LiveUpdateException(Errno.ECONNRESET, "the predecessor died while this successor waited for " + what);
            }
        }
    }

    private boolean predecessorAlive() {
        return predecessorPid > 0 && ProcessHandle.of(predecessorPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Closes the handover socket and unmaps the image; closing again does nothing. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            socket.close();
            imageArena.close();
        }
    }
}
