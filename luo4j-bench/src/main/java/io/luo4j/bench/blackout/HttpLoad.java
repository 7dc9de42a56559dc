package io.luo4j.bench.blackout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Checking HTTP/1.1 keep-alive clients for the Netty example: each holds one connection and
 * requests {@code GET /bench/C} (C its number) in a loop; the example answers with the path's
 * count, which must be exactly one more than the client's last (so a request lost, or counted
 * twice, across an upgrade is seen at once).
 *
 * <p>What it counts: failed requests (a wrong status or count, or no reply because the connection
 * broke; the client then connects again and goes on), connections lost, and, between
 * {@link #openWindow()} and {@link #closeWindow()}, the requests in flight and the longest of them.
 */
final class HttpLoad implements AutoCloseable {
    private final int port;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong connectionsLost = new AtomicLong();
    private final AtomicLong windowRequests = new AtomicLong();
    private final LongAccumulator windowMax = new LongAccumulator(Math::max, 0);
    private volatile String firstFailure = "";

    HttpLoad(int port, int clients) {
        this.port = port;
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofPlatform().name("http-client-" + c).start(() -> run(client)));
        }
    }

    private void run(int client) {
        String request = "GET /bench/" + client + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String expectedPrefix = "/bench/" + client + " ";
        long count = 0;
        while (!stop) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(60_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                while (!stop) {
                    long start = System.nanoTime();
                    out.write(request.getBytes(StandardCharsets.US_ASCII));
                    String body = readBody(in);
                    long end = System.nanoTime();
                    requests.incrementAndGet();
                    if (end >= windowStart && start <= windowEnd) {
                        windowRequests.incrementAndGet();
                        windowMax.accumulate(end - start);
                    }
                    if (count > 0 && !body.equals(expectedPrefix + (count + 1) + " 0\n")) {
                        fail("client " + client + " expected count " + (count + 1) + ", got: " + body.strip());
                    }
                    count = Long.parseLong(body.substring(expectedPrefix.length(), body.indexOf(' ', expectedPrefix.length())));
                }
            } catch (IOException | RuntimeException e) {
                if (!stop) {
                    connectionsLost.incrementAndGet();
                    fail("client " + client + ": " + e);
                }
            }
        }
    }

    private void fail(String what) {
        failures.incrementAndGet();
        if (firstFailure.isEmpty()) {
            firstFailure = what;
        }
    }

    private static String readBody(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        if (!text.startsWith("HTTP/1.1 200")) {
            throw new IOException("status " + text.lines().findFirst().orElse(""));
        }
        int at = text.toLowerCase().indexOf("content-length:");
        int length = Integer.parseInt(text.substring(at + 15, text.indexOf('\r', at)).trim());
        byte[] body = in.readNBytes(length);
        return new String(body, StandardCharsets.UTF_8);
    }

    void openWindow() {
        windowRequests.set(0);
        windowMax.reset();
        windowEnd = Long.MAX_VALUE;
        windowStart = System.nanoTime();
    }

    void closeWindow() {
        windowEnd = System.nanoTime();
    }

    long windowRequests() {
        return windowRequests.get();
    }

    double windowMaxMillis() {
        return windowMax.get() / 1e6;
    }

    long requests() {
        return requests.get();
    }

    long failures() {
        return failures.get();
    }

    long connectionsLost() {
        return connectionsLost.get();
    }

    String firstFailure() {
        return firstFailure;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread thread : threads) {
            thread.join(70_000);
        }
    }
}
