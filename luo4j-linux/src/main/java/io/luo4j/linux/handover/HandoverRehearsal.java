package io.luo4j.linux.handover;

import io.luo4j.Handover;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.ProcessExit;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * A whole handover conversation, HELLO to COMMIT and the retirement that follows, between two
 * threads of this process, with the code a real upgrade runs on both sides: a
 * {@link HandoverConversation} on one, a {@link SuccessorHandover} on the other.
 *
 * <p>Why: an upgrade runs each of these methods once, during the pause. Run for the first time,
 * code is interpreted and its system calls go through method handles not yet compiled: a message
 * round trip then costs more than a millisecond instead of some tens of microseconds. Rehearsed a
 * hundred times at start-up, the same code is compiled before the pause.
 */
public final class HandoverRehearsal {
    private static final int ROUNDS = 100;
    private static final long ROUND_LIMIT_NANOS = 10_000_000_000L;

    private HandoverRehearsal() {}

    /**
     * Rehearses with {@code handover} (its image, and duplicates of its descriptors: the originals
     * stay the caller's), in {@code directory} (nothing is left in it). Every fourth round sends the
     * image in a memfd, as a large image travels.
     */
    public static void run(Path directory, Handover handover) throws IOException {
        Path path = directory.resolve("rehearsal-" + ProcessHandle.current().pid() + ".sock");
        Files.deleteIfExists(path);
        byte[] large = new byte[Message.MAX_INLINE_IMAGE + 1];
        try (SeqpacketSocket listener = SeqpacketSocket.listen(path)) {
            for (int round = 0; round < ROUNDS; round++) {
                Handover sent = round % 4 == 3 ? new Handover(ByteBuffer.wrap(large), handover.descriptors(), handover.generation())
                        : handover;
                oneConversation(listener, path, sent);
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }

    private static void oneConversation(SeqpacketSocket listener, Path path, Handover handover) {
        long deadline = System.nanoTime() + ROUND_LIMIT_NANOS;
        try (SeqpacketSocket connected = SeqpacketSocket.connect(path);
                SeqpacketSocket accepted = listener.accept(1000)) {
            CompletableFuture<Void> successorSide = CompletableFuture.runAsync(() -> {
                try (SuccessorHandover successor = new SuccessorHandover(connected, ProcessExit.watch(ProcessHandle.current().pid()))) {
                    Handover received = successor.receive();
                    SeqpacketSocket.closeAll(received.descriptors()); // the received copies; the originals stay
                    successor.ready();
                    successor.keepAliveUntilLetGo(() -> true);
                }
            });
            try (HandoverConversation conversation = new HandoverConversation(accepted, HandoverConversation.until(deadline), deadline)) {
                conversation.send(handover);
                LiveUpdateException failure = conversation.awaitReady(deadline, "the rehearsal's limit");
                if (failure != null) {
                    throw failure;
                }
                conversation.commit();
            }
            successorSide.join();
        }
    }
}
