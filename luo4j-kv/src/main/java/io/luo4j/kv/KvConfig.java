package io.luo4j.kv;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.kv.store.SegmentHeap;
import java.nio.file.Path;

/**
 * How the kv service runs.
 *
 * @param name      the service's name: its control socket, {@code luoctl upgrade NAME}
 * @param bind      the address to listen on
 * @param port      the TCP port
 * @param memory    most bytes of memfd for data (whole 64 MiB segments)
 * @param snapshot  a snapshot file: loaded at a cold start when it exists, written by SAVE and
 *                  SHUTDOWN SAVE; null for none. A live update never needs it: it exists for
 *                  restarts without luo4j and as the benchmarks' baseline
 * @param reusePort listen with SO_REUSEPORT, so a second process can bind beside this one (the
 *                  overlap baseline of the benchmarks)
 * @param warmUp    run the warm-up before serving (a successor's clients wait less); off, a cold
 *                  start serves sooner
 * @param inputBudget the most bytes of heap all clients' half-sent commands may hold together
 *                  (past it the client holding the most is closed); 0 for a quarter of the heap
 */
public record KvConfig(String name, String bind, int port, long memory, Path snapshot, boolean reusePort, boolean warmUp,
        long inputBudget) {
    public KvConfig {
        if (name == null || name.isEmpty()) {
            throw new LiveUpdateException(Errno.EINVAL, "the kv service needs a name (--name)");
        }
        if (port < 0 || port > 65535) {
            throw new LiveUpdateException(Errno.EINVAL, "port " + port + " is not a TCP port (0..65535)");
        }
        if (memory < SegmentHeap.SEGMENT_SIZE) {
            throw new LiveUpdateException(Errno.EINVAL, "--memory " + memory + " is below one 64 MiB segment: give at least 64m");
        }
        if (inputBudget < 0) {
            throw new LiveUpdateException(Errno.EINVAL, "--input-budget " + inputBudget + " is negative: give a number of bytes,"
                    + " or 0 for a quarter of the heap");
        }
    }

    /** As the canonical constructor, with the default input budget (a quarter of the heap). */
    public KvConfig(String name, String bind, int port, long memory, Path snapshot, boolean reusePort, boolean warmUp) {
        this(name, bind, port, memory, snapshot, reusePort, warmUp, 0);
    }

    /** Service {@code name} on loopback port {@code port}: 1 GiB, no snapshot, no SO_REUSEPORT, warmed up. */
    public static KvConfig of(String name, int port) {
        return new KvConfig(name, "127.0.0.1", port, 1L << 30, null, false, true);
    }
}
