package io.luo4j.bench.fds;

import io.luo4j.linux.internal.Libc;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The descriptor-count baseline: the same number of memfds sent over the same kind of socket
 * (AF_UNIX SOCK_SEQPACKET, SCM_RIGHTS batches of 253) from one thread to another, and nothing else:
 * no orchestrator, no image, no handlers, no second process. What luo4j adds is the difference.
 *
 * <p>Sender and receiver live in one process, so each descriptor is open twice; to stay within the
 * open-file limit a large count goes in rounds of at most {@link #ROUND} descriptors, and only the
 * transfers are timed (creating and closing are not).
 */
final class RawDescriptorTransfer {
    private static final byte[] PAYLOAD = {1};
    private static final int RECEIVE_TIMEOUT_MILLIS = 60_000;

    /** The most descriptors sent in one round. */
    static final int ROUND = 5_000;

    private RawDescriptorTransfer() {}

    /** What this process needs as its open-file limit to transfer {@code count} descriptors. */
    static long requiredOpenFiles(int count) {
        return 2L * Math.min(count, ROUND) + DescriptorService.HEADROOM;
    }

    /**
     * Sends {@code count} fresh memfds through a socket at {@code socketPath}; the milliseconds
     * from first send to last receive, summed over the rounds.
     */
    static double transferMillis(int count, Path socketPath) {
        double total = 0;
        for (int sent = 0; sent < count; sent += ROUND) {
            total += roundMillis(Math.min(ROUND, count - sent), socketPath);
        }
        return total;
    }

    private static double roundMillis(int count, Path socketPath) {
        int[] memfds = new int[count];
        Arrays.fill(memfds, -1); // closing -1 is a harmless EBADF if creation stops early
        List<int[]> received = new CopyOnWriteArrayList<>();
        try (SeqpacketSocket listener = SeqpacketSocket.listen(socketPath);
                SeqpacketSocket sender = SeqpacketSocket.connect(socketPath);
                SeqpacketSocket receiver = listener.accept(RECEIVE_TIMEOUT_MILLIS)) {
            for (int i = 0; i < count; i++) {
                memfds[i] = Libc.memfdCreate("raw-" + i, Libc.MFD_CLOEXEC);
            }
            CompletableFuture<Long> done = CompletableFuture.supplyAsync(() -> receiveAll(receiver, count, received));
            long start = System.nanoTime();
            for (int from = 0; from < count; from += Libc.SCM_MAX_FD) {
                sender.send(PAYLOAD, Arrays.copyOfRange(memfds, from, Math.min(count, from + Libc.SCM_MAX_FD)));
            }
            return (done.join() - start) / 1e6;
        } finally {
            SeqpacketSocket.closeAll(memfds);
            received.forEach(SeqpacketSocket::closeAll);
            socketPath.toFile().delete();
        }
    }

    /** Receives until {@code count} descriptors arrived; returns when the last did. */
    private static long receiveAll(SeqpacketSocket receiver, int count, List<int[]> into) {
        int arrived = 0;
        while (arrived < count) {
            SeqpacketSocket.Message message = receiver.receive(RECEIVE_TIMEOUT_MILLIS);
            if (message == null) {
                throw new IllegalStateException("the baseline's descriptors stopped arriving after " + arrived + " of " + count);
            }
            into.add(message.fds());
            arrived += message.fds().length;
        }
        return System.nanoTime();
    }
}
