package io.luo4j.bench.fds;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The descriptor-count baseline: the same number of memfds sent over the same kind of socket
 * (AF_UNIX SOCK_SEQPACKET, SCM_RIGHTS batches of 253) from one thread to another, and nothing else:
 * no orchestrator, no image, no handlers, no second process, and a transport of its own
 * ({@link ScmRights}), not luo4j's. What luo4j adds is the difference.
 *
 * <p>Sender and receiver live in one process, so each descriptor is open twice; to stay within the
 * open-file limit a large count goes in rounds of at most {@link #ROUND} descriptors, and only the
 * transfers are timed (creating and closing are not).
 */
final class RawDescriptorTransfer {
    private static final int RECEIVE_TIMEOUT_MILLIS = 60_000;

    /** The most descriptors sent in one round. */
    static final int ROUND = 5_000;

    private RawDescriptorTransfer() {}

    /** What this process needs as its open-file limit to transfer {@code count} descriptors. */
    static long requiredOpenFiles(int count) {
        return 2L * Math.min(count, ROUND) + DescriptorService.HEADROOM;
    }

    /**
     * Sends {@code count} fresh memfds from one end of a socket pair to the other; the
     * milliseconds from first send to last receive, summed over the rounds.
     */
    static double transferMillis(int count) {
        double total = 0;
        for (int sent = 0; sent < count; sent += ROUND) {
            total += roundMillis(Math.min(ROUND, count - sent));
        }
        return total;
    }

    private static double roundMillis(int count) {
        int[] memfds = new int[count];
        Arrays.fill(memfds, -1); // closing -1 is a harmless EBADF if creation stops early
        List<int[]> received = new CopyOnWriteArrayList<>();
        try (ScmRights pair = ScmRights.pair()) {
            for (int i = 0; i < count; i++) {
                memfds[i] = ScmRights.memfd("raw-" + i);
            }
            CompletableFuture<Long> done = CompletableFuture.supplyAsync(() -> receiveAll(pair, count, received));
            long start = System.nanoTime();
            for (int from = 0; from < count; from += ScmRights.MAX_BATCH) {
                pair.send(Arrays.copyOfRange(memfds, from, Math.min(count, from + ScmRights.MAX_BATCH)));
            }
            return (done.get(RECEIVE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) - start) / 1e6;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the baseline's descriptors did not all arrive: " + e, e);
        } finally {
            ScmRights.closeAll(memfds);
            received.forEach(ScmRights::closeAll);
        }
    }

    /** Receives until {@code count} descriptors arrived; returns when the last did. */
    private static long receiveAll(ScmRights pair, int count, List<int[]> into) {
        int arrived = 0;
        while (arrived < count) {
            int[] fds = pair.receive();
            into.add(fds);
            arrived += fds.length;
        }
        return System.nanoTime();
    }
}
