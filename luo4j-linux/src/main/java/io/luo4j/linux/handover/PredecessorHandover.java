package io.luo4j.linux.handover;

import io.luo4j.Errno;
import io.luo4j.Handover;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.PreparedUpgrade;
import io.luo4j.linux.internal.Libc;
import io.luo4j.linux.internal.PeerCredentials;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One upgrade, seen from the predecessor. In order:
 * <ol>
 *   <li>start the successor with the handover socket's path and a one-time nonce in its environment;
 *       the service keeps serving while it starts;</li>
 *   <li>accept its connection: the peer must run under this process's uid, be the successor (or a
 *       descendant of it) and present the nonce, else the upgrade is refused;</li>
 *   <li>quiesce the service, then freeze: {@link LiveUpdateOrchestrator#prepareUpgrade()};</li>
 *   <li>send the image (in a sealed memfd) and the descriptors, at most 253 per message;</li>
 *   <li>wait for READY: commit, tell the successor, done.</li>
 * </ol>
 * Anything else before commit (the successor exits, hangs past the timeout, reports a failure such
 * as a corrupt image, the freeze fails, the peer is not who it should be) ends in a rollback:
 * unfreeze, resume the service, ABORT to the successor, and kill it. The service then serves on with
 * everything it had.
 */
public final class PredecessorHandover {
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux.handover");
    private static final int SLICE_MILLIS = 50;

    /** What the service does around the freeze. */
    public interface Service {
        /** Stop taking new work and finish what is in flight; throw to refuse the upgrade. */
        void quiesce();

        /** Take work again after a rollback. */
        void resume();

        /**
         * The upgrade is committed and the successor was told: stop accepting on any listener the
         * successor now serves (such as the control socket; the successor takes it over a moment
         * later), so no client lands here.
         */
        void committed();
    }

    private final HandoverRequest request;
    private final LiveUpdateOrchestrator orchestrator;
    private final Service service;
    private final Consumer<String> progress;
    private final long started = System.nanoTime();
    private final long deadline;
    private Process successor;
    /** The successor as far as liveness goes: its process, or in a rehearsal this one. */
    private ProcessHandle successorHandle;

    private PredecessorHandover(HandoverRequest request, LiveUpdateOrchestrator orchestrator, Service service, Consumer<String> progress) {
        this.request = request;
        this.orchestrator = orchestrator;
        this.service = service;
        this.progress = progress;
        this.deadline = started + request.timeout().toNanos();
    }

    /** Runs one upgrade to its end; never throws for a failed upgrade, it reports it. */
    public static UpgradeOutcome run(HandoverRequest request, LiveUpdateOrchestrator orchestrator, Service service,
            Consumer<String> progress) {
        return new PredecessorHandover(request, orchestrator, service, progress).run();
    }

    private UpgradeOutcome run() {
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        Path socketPath = request.workDirectory().resolve("handover-" + HexFormat.of().formatHex(nonce, 0, 6) + ".sock");
        long generation = orchestrator.generation();
        try (SeqpacketSocket listener = SeqpacketSocket.listen(socketPath)) {
            successor = start(socketPath, nonce);
            successorHandle = successor.toHandle();
            progress.accept("started successor pid " + successor.pid());
            LOG.log(Level.DEBUG, "successor command line: " + String.join(" ", request.command()));
            try (SeqpacketSocket peer = awaitSuccessor(listener, nonce)) {
                deleteQuietly(socketPath);
                double startMillis = millisSince(started);
                progress.accept(String.format("successor connected after %.0f ms; quiescing", startMillis));
                return handOver(peer, startMillis);
            }
        } catch (LiveUpdateException e) {
            stopSuccessor();
            progress.accept("upgrade refused before freezing, nothing changed: " + e.getMessage());
            return new UpgradeOutcome(false, generation, e.reason(), e.detail(), successor == null ? 0 : successor.pid(),
                    0, 0, millisSince(started), 0, 0, 0);
        } finally {
            deleteQuietly(socketPath);
        }
    }

    private UpgradeOutcome handOver(SeqpacketSocket peer, double startMillis) {
        long quiesced = System.nanoTime();
        PreparedUpgrade upgrade;
        int imageFd;
        Handover handover;
        try {
            service.quiesce();
            upgrade = orchestrator.prepareUpgrade();
        } catch (RuntimeException e) {
            service.resume();
            return rolledBack(peer, failure(e, "the service could not freeze"), startMillis, quiesced, 0, 0, 0);
        }
        try {
            handover = upgrade.handover();
            imageFd = handover.image().remaining() <= Message.MAX_INLINE_IMAGE ? -1 : ImageMemfd.write(handover.image(), request.corruptImage());
        } catch (RuntimeException e) {
            return rollBack(upgrade, peer, failure(e, "the image could not be written"), startMillis, quiesced, 0, 0);
        }
        long frozen = System.nanoTime();
        int[] descriptors = handover.descriptors();
        long imageBytes = handover.image().remaining();
        progress.accept(String.format("frozen in %.1f ms: image %d bytes, %d descriptors", (frozen - quiesced) / 1e6, imageBytes,
                descriptors.length));
        try {
            send(peer, handover, imageFd, descriptors);
        } catch (LiveUpdateException e) {
            return rollBack(upgrade, peer, e, startMillis, quiesced, frozen, imageBytes);
        } finally {
            if (imageFd >= 0) {
                Libc.close(imageFd);
            }
        }
        LiveUpdateException failure = awaitReady(peer);
        if (failure != null) {
            return rollBack(upgrade, peer, failure, startMillis, quiesced, frozen, imageBytes);
        }
        long ready = System.nanoTime();
        // the decision is made: tell the successor first (it serves as soon as it knows), then do
        // this process's bookkeeping, which cannot fail
        sendCommit(peer, handover.generation());
        service.committed();
        upgrade.commit();
        double blackout = millisSince(quiesced);
        progress.accept(String.format("committed generation %d: successor pid %d serves (blackout %.1f ms)", handover.generation(),
                successor.pid(), blackout));
        return new UpgradeOutcome(true, handover.generation(), null, "committed", successor.pid(), descriptors.length, imageBytes,
                startMillis, (frozen - quiesced) / 1e6, (ready - frozen) / 1e6, blackout);
    }

    private static void sendCommit(SeqpacketSocket peer, long generation) {
        try {
            peer.send(Message.encode(Message.Type.COMMIT, out -> out.writeLong(generation)));
        } catch (LiveUpdateException e) {
            // the successor holds everything and commits on its own when this process is gone
            LOG.log(Level.WARNING, "could not confirm the commit to the successor: " + e.getMessage());
        }
    }

    /**
     * Plays the predecessor's part of a handover over {@code peer} (sending {@code handover}, waiting
     * for READY, committing) with the very code an upgrade runs, so that a warm-up can run it until
     * the JIT has compiled it. The other end is a {@link SuccessorHandover} in this same process.
     */
    static void rehearse(SeqpacketSocket peer, Handover handover, Path directory) {
        PredecessorHandover rehearsal = new PredecessorHandover(
                new HandoverRequest(java.util.List.of(), java.util.Map.of(), java.time.Duration.ofSeconds(10), directory, false),
                null, null, message -> {});
        rehearsal.successorHandle = ProcessHandle.current();
        int imageFd = handover.image().remaining() <= Message.MAX_INLINE_IMAGE ? -1 : ImageMemfd.write(handover.image(), false);
        try {
            rehearsal.send(peer, handover, imageFd, handover.descriptors());
        } finally {
            if (imageFd >= 0) {
                Libc.close(imageFd);
            }
        }
        LiveUpdateException failure = rehearsal.awaitReady(peer);
        if (failure != null) {
            throw failure;
        }
        sendCommit(peer, handover.generation());
    }

    private Process start(Path socketPath, byte[] nonce) {
        ProcessBuilder builder = new ProcessBuilder(request.command()).inheritIO();
        builder.environment().putAll(request.environment());
        builder.environment().put(SuccessorHandover.SOCKET_VARIABLE, socketPath.toString());
        builder.environment().put(SuccessorHandover.NONCE_VARIABLE, HexFormat.of().formatHex(nonce));
        builder.environment().put(SuccessorHandover.PREDECESSOR_VARIABLE, Long.toString(ProcessHandle.current().pid()));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new LiveUpdateException(Errno.ENOENT, "cannot start the successor " + request.command() + ": " + e.getMessage(), e);
        }
    }

    /** Accepts the successor's connection and checks it: uid, process, nonce. */
    private SeqpacketSocket awaitSuccessor(SeqpacketSocket listener, byte[] nonce) {
        while (true) {
            checkSuccessorAlive("before connecting");
            SeqpacketSocket peer = listener.accept(slice());
            if (peer == null) {
                continue;
            }
            try {
                verify(peer, nonce);
                return peer;
            } catch (LiveUpdateException e) {
                peer.close();
                throw e;
            }
        }
    }

    private void verify(SeqpacketSocket peer, byte[] nonce) {
        PeerCredentials credentials = peer.peer();
        if (credentials.uid() != Libc.getuid()) {
            throw new LiveUpdateException(Errno.EACCES, "the handover socket was reached by uid " + credentials.uid()
                    + ", not this service's uid " + Libc.getuid() + ": refused");
        }
        if (!isSuccessorOrDescendant(credentials.pid())) {
            throw new LiveUpdateException(Errno.EACCES, "the handover socket was reached by pid " + credentials.pid()
                    + ", which is not the successor (pid " + successor.pid() + "): refused");
        }
        Message hello = receive(peer, "the successor's hello");
        byte[] presented = hello.type() == Message.Type.HELLO ? hello.read(in -> in.readNBytes(32)) : new byte[0];
        if (!MessageDigest.isEqual(presented, nonce)) {
            throw new LiveUpdateException(Errno.EACCES, "the successor did not present the handover nonce: refused");
        }
    }

    private boolean isSuccessorOrDescendant(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        for (int depth = 0; depth < 8 && process.isPresent(); depth++) {
            if (process.get().pid() == successorHandle.pid()) {
                return true;
            }
            process = process.get().parent();
        }
        return false;
    }

    /**
     * Sends the image (inline when small, else as the sealed memfd {@code imageFd}) and then the
     * descriptors in batches of at most 253.
     */
    private void send(SeqpacketSocket peer, Handover handover, int imageFd, int[] descriptors) {
        long imageLength = handover.image().remaining();
        byte[] inline = imageFd >= 0 ? new byte[0] : inlineImage(handover);
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
        int batch = 0;
        for (int from = 0; from < descriptors.length; from += Libc.SCM_MAX_FD) {
            int[] part = Arrays.copyOfRange(descriptors, from, Math.min(descriptors.length, from + Libc.SCM_MAX_FD));
            int number = batch++;
            peer.send(Message.encode(Message.Type.DESCRIPTORS, out -> {
                out.writeInt(number);
                out.writeInt(part.length);
            }), part);
        }
        peer.send(Message.encode(Message.Type.END, out -> out.writeInt(descriptors.length)));
        progress.accept("sent the image and " + descriptors.length + " descriptors in " + batch + " batches; waiting for the successor");
    }

    /** Waits for READY; returns the reason the successor cannot take over, or null when it is ready. */
    private LiveUpdateException awaitReady(SeqpacketSocket peer) {
        try {
            Message reply = receive(peer, "the successor's readiness");
            return switch (reply.type()) {
                case READY -> null;
                case FAIL -> reply.failure("the successor failed");
                default -> new LiveUpdateException(Errno.EPROTO, "the successor sent " + reply.type() + " instead of READY");
            };
        } catch (LiveUpdateException e) {
            return e;
        }
    }

    /** Receives one message, watching the successor and the deadline. */
    private Message receive(SeqpacketSocket peer, String what) {
        while (true) {
            SeqpacketSocket.Message message;
            try {
                message = peer.receive(slice());
            } catch (LiveUpdateException e) {
                if (e.reason() == Errno.ECONNRESET) {
                    throw new LiveUpdateException(Errno.ECONNRESET, "the successor went away while waiting for " + what + exitStatus());
                }
                throw e;
            }
            if (message != null) {
                SeqpacketSocket.closeAll(message.fds()); // the successor never sends descriptors
                return Message.decode(message.payload());
            }
            checkSuccessorAlive("while waiting for " + what);
        }
    }

    private void checkSuccessorAlive(String when) {
        if (!successorHandle.isAlive()) {
            throw new LiveUpdateException(Errno.ESRCH, "the successor exited " + when + exitStatus());
        }
        if (System.nanoTime() > deadline) {
            throw new LiveUpdateException(Errno.ETIMEDOUT, "the successor was not ready within " + request.timeout().toSeconds()
                    + " s: raise --timeout if it needs longer to start");
        }
    }

    private int slice() {
        return (int) Math.max(1, Math.min(SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }

    private UpgradeOutcome rollBack(PreparedUpgrade upgrade, SeqpacketSocket peer, LiveUpdateException reason, double startMillis,
            long quiesced, long frozen, long imageBytes) {
        upgrade.rollback();
        service.resume();
        return rolledBack(peer, reason, startMillis, quiesced, frozen, imageBytes, 0);
    }

    private UpgradeOutcome rolledBack(SeqpacketSocket peer, LiveUpdateException reason, double startMillis, long quiesced,
            long frozen, long imageBytes, int descriptors) {
        try {
            peer.send(Message.failure(Message.Type.ABORT, reason));
        } catch (LiveUpdateException ignored) {
            // the successor may be gone already
        }
        stopSuccessor();
        double blackout = millisSince(quiesced);
        progress.accept("rolled back, the service serves on: " + reason.getMessage());
        return new UpgradeOutcome(false, orchestrator.generation(), reason.reason(), reason.detail(), successor.pid(), descriptors,
                imageBytes, startMillis, frozen == 0 ? 0 : (frozen - quiesced) / 1e6, 0, blackout);
    }

    private void stopSuccessor() {
        if (successor == null || !successor.isAlive()) {
            return;
        }
        successor.descendants().forEach(ProcessHandle::destroyForcibly);
        successor.destroyForcibly();
        try {
            successor.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String exitStatus() {
        try {
            return successor.waitFor(200, TimeUnit.MILLISECONDS) ? " (exit status " + successor.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static LiveUpdateException failure(RuntimeException e, String what) {
        return e instanceof LiveUpdateException l ? l : new LiveUpdateException(Errno.EIO, what + ": " + e, e);
    }

    /** The image bytes to send inside the IMAGE message, damaged first when the fault is injected. */
    private byte[] inlineImage(Handover handover) {
        byte[] bytes = new byte[handover.image().remaining()];
        handover.image().get(bytes);
        if (request.corruptImage() && bytes.length > 0) {
            bytes[bytes.length / 2] ^= 0x20;
        }
        return bytes;
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover socket file in the private directory is harmless
        }
    }
}
