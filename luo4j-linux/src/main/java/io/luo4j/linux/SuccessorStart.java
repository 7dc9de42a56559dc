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

/**
 * A successor's part of an upgrade, as {@link LiveUpdate} goes through it:
 * <ol>
 *   <li>{@link #load()} (start-up, step 3): receive the image and the descriptors and load them; the
 *       generation the predecessor announced must be the image's. A failure is reported to the
 *       predecessor (FAIL: it rolls back) and thrown: this process must not serve;</li>
 *   <li>{@link #ready()}: READY, and the predecessor's decision; from COMMIT on this process
 *       serves, says ALIVE every 100 ms, and says FINISHED once its application has finished every
 *       incoming session but luo4j's own;</li>
 *   <li>{@link #awaitLetGo()}: the predecessor lets go after its grace period (or dies); the image
 *       that took over is kept for {@code luoctl inspect} and the handover is closed. luo4j then
 *       takes the control socket over from its own session.</li>
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

    /** READY; once committed, ALIVE and, when the application has taken everything over, FINISHED. */
    void ready() {
        handover.ready();
        handover.startHeartbeat();
        Thread.ofPlatform().daemon().name("luo4j-finished").start(this::reportFinishedWhenDone);
    }

    /** Tells the predecessor once the application has finished every session it was handed (all but luo4j's own). */
    private void reportFinishedWhenDone() {
        try {
            if (orchestrator.awaitIncomingFinished(Set.of(ControlSocket.SESSION), finishLimit)) {
                handover.reportFinished();
            } else {
                LOG.log(Level.WARNING, "the application has not finished every incoming session within " + finishLimit.toSeconds()
                        + " s: the predecessor keeps everything until it lets go at its own limit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the predecessor lets go (or dies); keeps the image that took over and closes the handover. */
    void awaitLetGo() {
        handover.awaitPredecessorRetired();
        try {
            saveImage(receivedImage);
        } finally {
            close();
        }
    }

    /** Closes the handover and unmaps the image; closing again does nothing. */
    synchronized void close() {
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
