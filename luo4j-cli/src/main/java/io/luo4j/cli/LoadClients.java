package io.luo4j.cli;

import io.luo4j.kv.resp.RespClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The demo's load: clients that each keep one connection and check every reply. A client reads
 * random loaded keys (the value must be the one loaded), increments its own counter (the value
 * must be one more than the last), and writes and reads back its own scratch keys. A wrong reply,
 * an error reply or a lost connection is a failure; a lost connection also counts as a reconnect
 * (the client then connects again and goes on).
 */
final class LoadClients implements AutoCloseable {
    private final int port;
    private final int keys;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    /** The longest wait for one reply since the last {@link #windowMaxMillis()} reset, in nanoseconds. */
    private final LongAccumulator windowMax = new LongAccumulator(Math::max, 0);
    private final LongAccumulator overallMax = new LongAccumulator(Math::max, 0);
    final List<String> firstFailures = new CopyOnWriteArrayList<>();

    LoadClients(int port, int keys, int clients) {
        this.port = port;
        this.keys = keys;
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().name("demo-client-" + c).start(() -> run(client)));
        }
    }

    private void run(int client) {
        Random random = new Random(client);
        long counter = 0;
        long scratch = 0;
        RespClient connection = null;
        while (!stop) {
            try {
                if (connection == null) {
                    connection = new RespClient("127.0.0.1", port, 30_000);
                    counter = Long.parseLong(RespClient.text(connection.call("INCRBY", "demo:counter:" + client, 0)));
                }
                int key = random.nextInt(keys);
                check(connection, new Object[] {"GET", DemoData.key(key)}, DemoData.value(key));
                check(connection, new Object[] {"INCR", "demo:counter:" + client}, ++counter);
                String scratchKey = "demo:scratch:" + client + ":" + (scratch % 1000);
                String scratchValue = "written-" + scratch++;
                check(connection, new Object[] {"SET", scratchKey, scratchValue}, "OK");
                check(connection, new Object[] {"GET", scratchKey}, scratchValue);
            } catch (IOException e) {
                fail("client " + client + " lost its connection: " + e.getMessage());
                reconnects.incrementAndGet();
                closeQuietly(connection);
                connection = null;
            }
        }
        closeQuietly(connection);
    }

    private void check(RespClient connection, Object[] command, Object expected) throws IOException {
        long start = System.nanoTime();
        Object reply = connection.call(command);
        long waited = System.nanoTime() - start;
        windowMax.accumulate(waited);
        overallMax.accumulate(waited);
        requests.incrementAndGet();
        Object actual = reply instanceof byte[] ? RespClient.text(reply) : reply;
        if (!expected.equals(actual)) {
            fail(command[0] + " " + command[1] + ": expected " + expected + ", got " + actual);
        }
    }

    private void fail(String what) {
        if (failures.incrementAndGet() <= 5) {
            firstFailures.add(what);
        }
    }

    /** The longest wait for a reply since the last call, in milliseconds; starts a new window. */
    double windowMaxMillis() {
        return windowMax.getThenReset() / 1e6;
    }

    double overallMaxMillis() {
        return overallMax.get() / 1e6;
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

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread thread : threads) {
            thread.join(60_000);
        }
    }
}
