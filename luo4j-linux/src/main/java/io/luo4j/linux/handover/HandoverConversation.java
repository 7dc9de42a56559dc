package io.luo4j.linux.handover;

import io.luo4j.Errno;
import io.luo4j.Handover;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.Libc;
import io.luo4j.linux.internal.SealedMemfd;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What the predecessor says to its successor over the handover socket ({@link Message}), and
 * nothing else: no process, no orchestrator. A real upgrade gets one from
 * {@link SuccessorProcess#awaitConnection()}; the start-up rehearsal ({@link HandoverRehearsal})
 * builds one over a socket inside this process and drives the very same code.
 *
 * <p>Happy path: {@link #send} the image (inline when small, else in a sealed memfd) and the
 * descriptors in batches of at most 253; {@link #awaitReady()}; {@link #commit()}. The connection
 * stays open after COMMIT until the predecessor has retired: its {@link #close()} then tells the
 * successor to take the control socket over.
 *
 * <p>Unhappy paths: the successor reports a failure (FAIL: its errno, e.g. EBADMSG for a damaged
 * image, ENOENT for a missing handler), goes away (ECONNRESET, with its exit status), sends
 * something unexpected (EPROTO), or the {@link Watch} ends the wait (the successor exited: ESRCH;
 * the deadline passed: ETIMEDOUT). The caller rolls back and {@linkplain #abort tells the successor}.
 */
public final class HandoverConversation implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux.handover");
    private static final int SLICE_MILLIS = 50;

    /** What ends a wait besides a message: checked between slices of at most 50 ms. */
    public interface Watch {
        /** Throws when waiting for {@code when} must end (the peer is gone, a deadline passed). */
        void check(String when);

        /** How the peer ended, for an error message ("" when unknown). */
        default String exitStatus() {
            return "";
        }
    }

    private final SeqpacketSocket peer;
    private final Watch watch;
    private final long deadline;

    HandoverConversation(SeqpacketSocket peer, Watch watch, long deadlineNanos) {
        this.peer = peer;
        this.watch = watch;
        this.deadline = deadlineNanos;
    }

    /** A watch that ends waits at {@code deadlineNanos} only (ETIMEDOUT). */
    static Watch until(long deadlineNanos) {
        return when -> {
            if (System.nanoTime() > deadlineNanos) {
                throw new LiveUpdateException(Errno.ETIMEDOUT, "no answer in time " + when);
            }
        };
    }

    /** What a successor says in its HELLO. */
    record Hello(byte[] nonce, long pid, String name, String identity) {}

    /** The successor's HELLO; EACCES when it sent something else. */
    Hello awaitHello() {
        Message hello = receive("the successor's hello", watch, deadline);
        if (hello.type() != Message.Type.HELLO) {
            throw new LiveUpdateException(Errno.EACCES, "the successor sent " + hello.type() + " instead of its hello: refused");
        }
        return hello.read(in -> new Hello(in.readNBytes(32), in.readLong(), in.readUTF(), in.readUTF()));
    }

    /**
     * Sends the image and then the descriptors, in batches of at most 253.
     *
     * @return the number of descriptor batches
     * @throws LiveUpdateException ECONNRESET the successor went away; the errors of the image memfd
     */
    public int send(Handover handover) {
        long imageLength = handover.image().remaining();
        int[] descriptors = handover.descriptors();
        int imageFd = imageLength <= Message.MAX_INLINE_IMAGE ? -1 : SealedMemfd.write("luo4j-image", handover.image());
        try {
            byte[] inline = imageFd >= 0 ? new byte[0] : bytesOf(handover);
            byte[] header = Message.encode(Message.Type.IMAGE, out -> {
                out.writeLong(handover.generation());
                out.writeLong(imageLength);
                out.writeInt(descriptors.length);
                out.write(inline);
            });
            if (imageFd >= 0) {
                peer.send(header, imageFd);
            } else {
                peer.send(header);
            }
        } finally {
            if (imageFd >= 0) {
                Libc.close(imageFd);
            }
        }
        int batches = 0;
        for (int from = 0; from < descriptors.length; from += Libc.SCM_MAX_FD) {
            int[] batch = Arrays.copyOfRange(descriptors, from, Math.min(descriptors.length, from + Libc.SCM_MAX_FD));
            int number = batches++;
            peer.send(Message.encode(Message.Type.DESCRIPTORS, out -> {
                out.writeInt(number);
                out.writeInt(batch.length);
            }), batch);
        }
        peer.send(Message.encode(Message.Type.END, out -> out.writeInt(descriptors.length)));
        return batches;
    }

    /**
     * Waits for READY, at most until {@code pauseDeadlineNanos} (the clients wait meanwhile); returns
     * why the successor cannot take over, or null when it is ready.
     */
    public LiveUpdateException awaitReady(long pauseDeadlineNanos, String pauseLimit) {
        Watch pause = when -> {
            watch.check(when);
            if (System.nanoTime() > pauseDeadlineNanos) {
                throw new LiveUpdateException(Errno.ETIMEDOUT, "the successor was not ready within the pause limit of " + pauseLimit
                        + " after the freeze (the clients were waiting): raise the pause limit if its take-over needs longer");
            }
        };
        try {
            Message reply = receive("the successor's readiness", pause, Math.min(deadline, pauseDeadlineNanos));
            return switch (reply.type()) {
                case READY -> null;
                case FAIL -> reply.failure("the successor failed");
                default -> new LiveUpdateException(Errno.EPROTO, "the successor sent " + reply.type() + " instead of READY");
            };
        } catch (LiveUpdateException e) {
            return e;
        }
    }

    /**
     * Tells the successor it serves now. Cannot fail the upgrade: a successor that does not hear it
     * holds everything and takes over when this process is gone.
     */
    public void commit() {
        try {
            peer.send(Message.encode(Message.Type.COMMIT));
        } catch (LiveUpdateException e) {
            LOG.log(Level.WARNING, "could not confirm the commit to the successor: " + e.getMessage());
        }
    }

    /**
     * How the successor fared in its grace period: settled (it finished its sessions and lived the
     * grace period, saying ALIVE), unfinished (alive and well, but its application had not finished
     * every session when the finish limit passed), or failed (the reason to take the service back).
     */
    public record Grace(boolean finished, LiveUpdateException failure) {
        static final Grace SETTLED = new Grace(true, null);
        static final Grace UNFINISHED = new Grace(false, null);

        static Grace failed(LiveUpdateException failure) {
            return new Grace(false, failure);
        }
    }

    /** How long the successor may go without a word in its grace period before it counts as hung. */
    static final long SILENCE_LIMIT_NANOS = 2_000_000_000L;

    /**
     * After COMMIT: watches the successor for {@code grace}. It must say FINISHED (within
     * {@code finishLimit}, or the result is {@link Grace#UNFINISHED}) and ALIVE at least every
     * {@value #SILENCE_LIMIT_NANOS} ns; dying ({@code alive} sees the exit, or the connection ends)
     * or falling silent (stopped, hung) fails it.
     */
    public Grace watchGrace(Duration grace, Duration finishLimit, Watch alive) {
        long start = System.nanoTime();
        long graceEnd = start + grace.toNanos();
        long finishDeadline = start + Math.max(grace.toNanos(), finishLimit.toNanos());
        long lastHeard = start;
        boolean finished = false;
        while (true) {
            long now = System.nanoTime();
            if (now >= graceEnd && finished) {
                return Grace.SETTLED;
            }
            if (now >= finishDeadline) {
                return Grace.UNFINISHED;
            }
            if (now - lastHeard > SILENCE_LIMIT_NANOS) {
                return Grace.failed(new LiveUpdateException(Errno.ETIMEDOUT, "the successor fell silent " + (lastHeard - start) / 1_000_000
                        + " ms after the commit (stopped or hung for " + (now - lastHeard) / 1_000_000 + " ms)"));
            }
            long next = Math.min(finished ? graceEnd : finishDeadline, lastHeard + SILENCE_LIMIT_NANOS);
            SeqpacketSocket.Message message;
            try {
                message = peer.receive(slice(next, SLICE_MILLIS));
                if (message == null) {
                    alive.check("in its grace period, " + (System.nanoTime() - start) / 1_000_000 + " ms after the commit");
                    continue;
                }
            } catch (LiveUpdateException e) {
                return Grace.failed(e.reason() == Errno.ECONNRESET ? new LiveUpdateException(Errno.ECONNRESET, "the successor went away "
                        + (System.nanoTime() - start) / 1_000_000 + " ms after the commit" + alive.exitStatus()) : e);
            }
            SeqpacketSocket.closeAll(message.fds());
            lastHeard = System.nanoTime();
            switch (Message.decode(message.payload()).type()) {
                case ALIVE -> { }
                case FINISHED -> finished = true;
                default -> {
                    return Grace.failed(new LiveUpdateException(Errno.EPROTO, "the successor sent "
                            + Message.decode(message.payload()).type() + " in its grace period"));
                }
            }
        }
    }

    /** Tells the successor the upgrade rolled back and why; quiet if it is gone already. */
    public void abort(LiveUpdateException reason) {
        try {
            peer.send(Message.failure(Message.Type.ABORT, reason));
        } catch (LiveUpdateException ignored) {
            // the successor may be gone already
        }
    }

    /** Closes the connection: after a commit, the successor's signal that this process has retired. */
    @Override
    public void close() {
        peer.close();
    }

    /** Receives one message, checking {@code watch} between slices that end by {@code until}. */
    private Message receive(String what, Watch watch, long until) {
        while (true) {
            SeqpacketSocket.Message message;
            try {
                message = peer.receive(slice(until, SLICE_MILLIS));
            } catch (LiveUpdateException e) {
                if (e.reason() == Errno.ECONNRESET) {
                    throw new LiveUpdateException(Errno.ECONNRESET, "the successor went away while waiting for " + what
                            + watch.exitStatus());
                }
                throw e;
            }
            if (message != null) {
                SeqpacketSocket.closeAll(message.fds()); // the successor never sends descriptors
                return Message.decode(message.payload());
            }
            watch.check("while waiting for " + what);
        }
    }

    /** How long one wait may block: at most {@code sliceMillis}, and not past the deadline (at least 1 ms). */
    static int slice(long deadlineNanos, int sliceMillis) {
        return (int) Math.max(1, Math.min(sliceMillis, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    }

    private static byte[] bytesOf(Handover handover) {
        byte[] bytes = new byte[handover.image().remaining()];
        handover.image().get(bytes);
        return bytes;
    }
}
