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
 */
public record KvConfig(String name, String bind, int port, long memory, Path snapshot, boolean reusePort, boolean warmUp) {
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
    }

    /** Service {@code name} on loopback port {@code port}: 1 GiB, no snapshot, no SO_REUSEPORT, warmed up. */
    public static KvConfig of(String name, int port) {
        return new KvConfig(name, "127.0.0.1", port, 1L << 30, null, false, true);
    }
}
