package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.Handover;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.linux.control.RuntimeDirectory;
import io.luo4j.linux.handover.SuccessorHandover;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A successor's part of an upgrade, as {@link LiveUpdate} goes through it:
 * <ol>
 *   <li>{@link #load()} (start-up, step 3): receive the image and the descriptors and load them; the
 *       generation the predecessor announced must be the image's. A failure is reported to the
 *       predecessor (FAIL: it rolls back) and thrown: this process must not serve;</li>
 *   <li>{@link #ready()}: READY, and the predecessor's decision; from COMMIT on this process
 *       serves;</li>
 *   <li>{@link #afterCommit()}, on luo4j's own thread, started before HELLO so that no thread is
 *       made while clients wait: once committed, it says ALIVE every 100 ms and FINISHED once the
 *       application has finished every incoming session but luo4j's own, until the predecessor
 *       lets go after its grace period (or dies); then the image that took over is kept for
 *       {@code luoctl inspect} and the handover is closed. luo4j then takes the control socket
 *       over from its own session.</li>
 * </ol>
 * ECANCELED from {@code ready} means the predecessor rolled back: this process must exit.
 */
final class SuccessorStart {
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux");

    private final SuccessorHandover handover;
    private final LiveUpdateOrchestrator orchestrator;
    private final Path imageCopy;
    private final Duration finishLimit;
    /** The received image, mapped until the handover closes. */
    private ByteBuffer receivedImage;
    /** Opened when the predecessor committed (or this process closes). */
    private final CountDownLatch committed = new CountDownLatch(1);
    private volatile boolean closing;

    SuccessorStart(SuccessorHandover handover, LiveUpdateOrchestrator orchestrator, Path runtimeDirectory, String name,
            Duration finishLimit) {
        this.handover = handover;
        this.orchestrator = orchestrator;
        this.imageCopy = RuntimeDirectory.lastImage(runtimeDirectory, name);
        this.finishLimit = finishLimit;
    }

    /** Receives the predecessor's image and descriptors and loads them. */
    void load() {
        Handover received = handover.receive();
        try {
            orchestrator.loadIncoming(received.image(), received.descriptors());
        } catch (LiveUpdateException e) {
            SeqpacketSocket.closeAll(received.descriptors());
            handover.fail(e);
            throw e;
        }
        try {
            if (orchestrator.generation() != received.generation()) {
                throw new LiveUpdateException(Errno.EBADMSG, "the predecessor announced generation " + received.generation()
                        + " but its image holds " + orchestrator.generation() + ": the handover is inconsistent");
            }
            orchestrator.deserialize();
            receivedImage = received.image();
        } catch (LiveUpdateException e) {
            handover.fail(e);
            throw e;
        }
    }

    /** READY, and the predecessor's decision; on COMMIT, {@link #afterCommit()} goes on. */
    void ready() {
        handover.ready();
        committed.countDown();
    }

    /**
     * Waits for the commit, then keeps the predecessor informed until it lets go (ALIVE, and
     * FINISHED once the application finished every session it was handed), then keeps the image
     * and closes the handover. Returns false when there was no commit (this process is closing).
     */
    boolean afterCommit() throws InterruptedException {
        committed.await();
        if (closing) {
            return false;
        }
        long deadline = System.nanoTime() + finishLimit.toNanos();
        boolean[] warned = {false};
        handover.keepAliveUntilLetGo(() -> {
            if (applicationTookOver()) {
                return true;
            }
            if (!warned[0] && System.nanoTime() - deadline > 0) {
                warned[0] = true;
                LOG.log(Level.WARNING, "the application has not finished every incoming session within " + finishLimit.toSeconds()
                        + " s: the predecessor keeps everything until it lets go at its own limit");
            }
            return false;
        });
        try {
            saveImage(receivedImage);
        } finally {
            close();
        }
        return true;
    }

    /** Whether every incoming session but luo4j's own is finished, as of now. */
    private boolean applicationTookOver() {
        try {
            return orchestrator.awaitIncomingFinished(Set.of(ControlSocket.SESSION), Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes the handover and unmaps the image (and lets {@link #afterCommit()} end); closing again does nothing. */
    synchronized void close() {
        closing = true;
        committed.countDown();
        handover.close();
        receivedImage = null;
    }

    private void saveImage(ByteBuffer image) {
        try (FileChannel out = FileChannel.open(imageCopy, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Files.setPosixFilePermissions(imageCopy, PosixFilePermissions.fromString("rw-------"));
            out.write(image.duplicate());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot keep a copy of the handover image at " + imageCopy + ": " + e);
        }
    }
}
