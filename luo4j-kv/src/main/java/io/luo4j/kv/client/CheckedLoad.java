package io.luo4j.kv.client;

import io.luo4j.kv.resp.RespClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

/**
 * Client load that checks every reply: each client keeps one connection and, in turn, reads a
 * random key of the {@link DemoKeys} data set (the value must be the one loaded), increments its
 * own counter (the value must be one more than the last), and writes and reads back its own
 * scratch keys.
 *
 * <p>What it counts: {@linkplain #failures() failed requests} (a wrong or error reply, or no reply
 * because the connection was lost), {@linkplain #connectionsLost() connections lost} (the client
 * then connects again, every 5 ms until the port answers, and goes on), {@linkplain #refusedConnects()
 * refused connection attempts}, and {@linkplain #lostWrites() lost writes}: increments the server
 * acknowledged that are gone when the client comes back (a restart that lost state). Every answered
 * request is logged with its times, for {@link #window}.
 */
public final class CheckedLoad implements AutoCloseable {
    private static final long RECONNECT_PAUSE_NANOS = 5_000_000;

    private final int port;
    private final int keys;
    private final List<Thread> threads = new ArrayList<>();
    private final List<LatencyLog> logs = new ArrayList<>();
    private volatile boolean stop;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong connectionsLost = new AtomicLong();
    private final AtomicLong refusedConnects = new AtomicLong();
    private final AtomicLong lostWrites = new AtomicLong();
    private final LongAccumulator windowMax = new LongAccumulator(Math::max, 0);
    private final LongAccumulator overallMax = new LongAccumulator(Math::max, 0);
    private final List<String> firstFailures = new CopyOnWriteArrayList<>();

    /** Starts {@code clients} clients against the service at {@code port}, which holds {@code keys} demo keys. */
    public CheckedLoad(int port, int keys, int clients) {
        this.port = port;
        this.keys = keys;
        for (int c = 0; c < clients; c++) {
            LatencyLog log = new LatencyLog();
            logs.add(log);
            int client = c;
            threads.add(Thread.ofPlatform().name("checked-client-" + c).start(() -> run(client, log)));
        }
    }

    private void run(int client, LatencyLog log) {
        Random random = new Random(client);
        String counterKey = "demo:counter:" + client;
        long counter = -1; // the last value the server acknowledged; -1 before the first connection
        long scratch = 0;
        RespClient connection = null;
        while (!stop) {
            try {
                if (connection == null) {
                    connection = connect();
                    if (connection == null) {
                        continue;
                    }
                    counter = resume(client, connection.call("INCRBY", counterKey, 0), counter);
                }
                int key = random.nextInt(keys);
                check(connection, log, new Object[] {"GET", DemoKeys.key(key)}, DemoKeys.value(key));
                Object incremented = check(connection, log, new Object[] {"INCR", counterKey}, counter + 1);
                counter = incremented instanceof Long value ? value : counter + 1;
                String scratchKey = "demo:scratch:" + client + ":" + (scratch % 1000);
                String scratchValue = "written-" + scratch++;
                check(connection, log, new Object[] {"SET", scratchKey, scratchValue}, "OK");
                check(connection, log, new Object[] {"GET", scratchKey}, scratchValue);
            } catch (IOException e) {
                fail("client " + client + " lost its connection: " + e.getMessage());
                connectionsLost.incrementAndGet();
                closeQuietly(connection);
                connection = null;
            }
        }
        closeQuietly(connection);
    }

    /** The counter as the server has it on (re)connecting: fewer than acknowledged means lost writes. */
    private long resume(int client, Object reply, long acknowledged) {
        if (!(reply instanceof Long current)) {
            fail("client " + client + " could not read its counter: " + reply);
            return acknowledged;
        }
        if (acknowledged > current) {
            lostWrites.addAndGet(acknowledged - current);
            fail("client " + client + " came back to find its counter at " + current + ", not " + acknowledged
                    + ": acknowledged writes were lost");
        }
        return current;
    }

    /** A new connection, or null (counted, after a pause) when the port refuses it. */
    private RespClient connect() {
        try {
            return new RespClient("127.0.0.1", port, 30_000);
        } catch (IOException refused) {
            refusedConnects.incrementAndGet();
            LockSupport.parkNanos(RECONNECT_PAUSE_NANOS);
            return null;
        }
    }

    /** Runs {@code command}; a reply other than {@code expected} is a failure. Returns the reply. */
    private Object check(RespClient connection, LatencyLog log, Object[] command, Object expected) throws IOException {
        long start = System.nanoTime();
        Object reply = connection.call(command);
        long end = System.nanoTime();
        log.record(start, end);
        windowMax.accumulate(end - start);
        overallMax.accumulate(end - start);
        requests.incrementAndGet();
        Object actual = reply instanceof byte[] ? RespClient.text(reply) : reply;
        if (!expected.equals(actual)) {
            fail(command[0] + " " + command[1] + ": expected " + expected + ", got " + actual);
        }
        return reply;
    }

    private void fail(String what) {
        if (failures.incrementAndGet() <= 5) {
            firstFailures.add(what);
        }
    }

    /** Requests answered. */
    public long requests() {
        return requests.get();
    }

    /** Requests without their right reply: wrong, an error, or lost with the connection. */
    public long failures() {
        return failures.get();
    }

    /** Established connections that broke (each client then connected again). */
    public long connectionsLost() {
        return connectionsLost.get();
    }

    /** Connection attempts the port refused (nothing listened). */
    public long refusedConnects() {
        return refusedConnects.get();
    }

    /** Increments the server acknowledged and later did not have. */
    public long lostWrites() {
        return lostWrites.get();
    }

    /** The first five failures, described. */
    public List<String> firstFailures() {
        return List.copyOf(firstFailures);
    }

    /** The longest wait for a reply since the last call, in milliseconds; starts a new window. */
    public double windowMaxMillis() {
        return windowMax.getThenReset() / 1e6;
    }

    /** The longest wait for a reply since the start, in milliseconds. */
    public double overallMaxMillis() {
        return overallMax.get() / 1e6;
    }

    /** The requests in flight between {@code fromNanos} and {@code toNanos} ({@link System#nanoTime()}). */
    public LatencyWindow window(long fromNanos, long toNanos) {
        LatencySet latencies = new LatencySet();
        long longestGap = 0;
        for (LatencyLog log : logs) {
            longestGap = Math.max(longestGap, log.window(fromNanos, toNanos, latencies));
        }
        return LatencyWindow.of(latencies, longestGap);
    }

    private static void closeQuietly(RespClient connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** Stops the clients (each finishes its request; a minute at most). */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }
}
