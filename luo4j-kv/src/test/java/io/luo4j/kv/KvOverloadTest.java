package io.luo4j.kv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.kv.client.InfoReply;
import io.luo4j.kv.resp.RespClient;
import io.luo4j.linux.testservice.ServiceHarness;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crowd of clients must not do to the kv service: end it by exhausting its descriptors or
 * its heap. Each test starts the service as a JVM of its own, pushes it past a limit with real
 * sockets, and checks that it is the same process afterwards, that it answered a client connected
 * before all along, and that it answers new clients once the crowd has gone.
 */
@Timeout(300)
class KvOverloadTest {
    private static final int BULK = 32 << 20; // the largest bulk string the service takes
    private static final int HOARDED = 30 << 20; // what each hoarding client sends of it before it stalls

    @TempDir
    Path dir;

    private static ServiceHarness startKv(Path dir, String name, List<String> jvmOptions, String... options) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--memory", "128000000"));
        arguments.addAll(List.of(options));
        return ServiceHarness.startMain(dir, name, KvService.class, jvmOptions, arguments);
    }

    private static String info(RespClient client, String field) throws IOException {
        return InfoReply.field(RespClient.text(client.call("INFO")), field);
    }

    private static long infoLong(RespClient client, String field) throws IOException {
        return Long.parseLong(info(client, field));
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long openDescriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }

    private static long logLines(ServiceHarness kv, String text) {
        return kv.log().lines().filter(l -> l.contains(text)).count();
    }

    @Test
    void aConnectionFloodPastTheDescriptorLimitPausesAcceptingWhileTheClientsAreServed() throws Exception {
        // warmed up (the default), as in production: every command's classes are loaded before the
        // limit; here they come from class directories, and loading one at the limit would fail
        try (ServiceHarness kv = startKv(dir, "kv-fds", List.of("-Xmx256m"));
                RespClient before = new RespClient("127.0.0.1", kv.port, 30_000)) {
            long pid = infoLong(before, "process_id");
            assertEquals("OK", before.call("SET", "k", "set before the flood"));
            long limit = openDescriptors(pid) + 40;
            Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(pid), "--nofile=" + limit + ":" + limit)
                    .redirectErrorStream(true).start();
            assertTrue(prlimit.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, prlimit.exitValue(), () -> "prlimit: " + readAll(prlimit));

            // 200 connections against room for fewer than 40 (each accepted one takes two descriptors:
            // the socket and the duplicate luo4j preserves): the rest wait in the listen backlog
            List<Socket> flood = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), kv.port), 5000);
                    flood.add(socket);
                }
                // it hits the limit, over and over while the flood stays
                await("the service hits its descriptor limit 20 times").atMost(60, TimeUnit.SECONDS)
                        .until(() -> infoLong(before, "accept_pauses") >= 20);
                assertTrue(alive(pid));
                assertEquals("set before the flood", RespClient.text(before.call("GET", "k")));
                assertEquals("OK", before.call("SET", "k", "set during the flood"));
                assertEquals("PONG", before.call("PING"));
                String log = kv.log();
                assertTrue(log.contains("cannot accept connections: EMFILE (Too many open files)") && log.contains("open file limit " + limit),
                        log);
                long pauses = infoLong(before, "accept_pauses");
                long lines = logLines(kv, "cannot accept connections");
                assertTrue(lines <= 3, "accepting failed " + pauses + " times and the log says so in " + lines
                        + " lines: at most one every 10 s\n" + log);
            } finally {
                for (Socket socket : flood) {
                    socket.close();
                }
            }

            // the flood has gone: new clients are accepted and served, by the same process
            await("a new client is served once the flood has gone").atMost(60, TimeUnit.SECONDS).ignoreExceptions()
                    .untilAsserted(() -> {
                        try (RespClient after = new RespClient("127.0.0.1", kv.port, 5_000)) {
                            assertEquals("set during the flood", RespClient.text(after.call("GET", "k")));
                        }
                    });
            assertEquals(pid, infoLong(before, "process_id"));
            assertTrue(alive(pid));
            await("the flood's connections are closed").atMost(60, TimeUnit.SECONDS)
                    .until(() -> infoLong(before, "connected_clients") == 1);
        }
    }

    /**
     * Clients that each send all but the last 2 MiB of a 32 MiB value and stall: what they sent is
     * held in the service's heap until the rest comes.
     */
    private static final class Hoarders implements AutoCloseable {
        final List<Socket> sockets = new ArrayList<>();
        final CountDownLatch done;
        final AtomicInteger sentAll = new AtomicInteger();
        final AtomicInteger closedByServer = new AtomicInteger();

        Hoarders(int port, int count) throws IOException {
            done = new CountDownLatch(count);
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'h');
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                sockets.add(socket);
                byte[] header = ("*3\r\n$3\r\nSET\r\n$8\r\nhoard:" + String.format("%02d", i) + "\r\n$" + BULK + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                Thread.ofVirtual().start(() -> {
                    try {
                        OutputStream out = socket.getOutputStream();
                        out.write(header);
                        for (int sent = 0; sent < HOARDED; sent += chunk.length) {
                            out.write(chunk);
                        }
                        out.flush();
                        sentAll.incrementAndGet();
                    } catch (IOException e) {
                        closedByServer.incrementAndGet(); // reset or broken pipe: the service closed it
                    } finally {
                        done.countDown();
                    }
                });
            }
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void halfSentHugeCommandsStayWithinTheInputBudgetAndTheOtherClientsAreServed() throws Exception {
        try (ServiceHarness kv = startKv(dir, "kv-budget", List.of("-Xmx256m"), "--warm-up", "false");
                RespClient other = new RespClient("127.0.0.1", kv.port, 30_000)) {
            long pid = infoLong(other, "process_id");
            long budget = infoLong(other, "client_input_budget");
            assertTrue(budget >= BULK && budget <= 256L << 20 >> 2, "the default budget is a quarter of the heap: " + budget);
            int count = 24; // 24 x 30 MiB: 720 MiB of half-sent commands against 256 MiB of heap
            try (Hoarders hoarders = new Hoarders(kv.port, count)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                int round = 0;
                do {
                    // the others are served all along, and the buffers stay within the budget
                    long held = infoLong(other, "client_input_bytes");
                    assertTrue(held <= budget, held + " bytes of input held, over the budget of " + budget);
                    assertEquals("OK", other.call("SET", "round", Integer.toString(round)));
                    assertEquals(Integer.toString(round), RespClient.text(other.call("GET", "round")));
                    round++;
                    assertTrue(System.nanoTime() < deadline, "the hoarders have not sent in 120 s what they could");
                } while (!hoarders.done.await(20, TimeUnit.MILLISECONDS));
                long evicted = infoLong(other, "evicted_clients");
                long held = infoLong(other, "client_input_bytes");
                assertTrue(held <= budget, held + " bytes held over a budget of " + budget);
                assertTrue(held >= HOARDED, "the hoarders that fit in the budget are held: " + held + " bytes");
                assertTrue(evicted >= count - budget / HOARDED, "evicted " + evicted + " of " + count + " hoarders");
                assertTrue(hoarders.closedByServer.get() > 0, "the evicted hoarders' connections were closed");
                assertTrue(kv.log().contains("closed a client holding"), kv.log());
                assertTrue(alive(pid));
                assertEquals(pid, infoLong(other, "process_id"));
            }
            await("the hoarders' buffers are released").atMost(60, TimeUnit.SECONDS).until(() -> infoLong(other, "client_input_bytes") == 0);

            // under the budget, a big value goes through whole
            byte[] value = new byte[20 << 20];
            Arrays.fill(value, (byte) 'v');
            assertEquals("OK", other.call("SET", "big", value));
            assertArrayEquals(value, (byte[]) other.call("GET", "big"));
            try (RespClient after = new RespClient("127.0.0.1", kv.port, 30_000)) {
                assertEquals("PONG", after.call("PING"));
            }
        }
    }

    @Test
    void runningOutOfHeapWhileServingOneClientClosesThatClientOnly() throws Exception {
        // a budget above the heap: nothing but the heap stops the hoarders' buffers
        try (ServiceHarness kv = startKv(dir, "kv-oom", List.of("-Xmx160m"), "--warm-up", "false", "--input-budget",
                Long.toString(4L << 30));
                RespClient other = new RespClient("127.0.0.1", kv.port, 30_000)) {
            long pid = infoLong(other, "process_id");
            int count = 12; // 12 x 30 MiB against 160 MiB of heap
            try (Hoarders hoarders = new Hoarders(kv.port, count)) {
                assertTrue(hoarders.done.await(120, TimeUnit.SECONDS), "the hoarders sent what they could");
                assertTrue(hoarders.closedByServer.get() > 0, "some hoarders were closed when the heap ran out");
                assertTrue(alive(pid));
                assertEquals("PONG", other.call("PING"));
                assertEquals("OK", other.call("SET", "k", "served on"));
                assertTrue(kv.log().contains("the heap ran out while serving it"), kv.log());
            }
            await("the hoarders' buffers are released").atMost(60, TimeUnit.SECONDS).until(() -> infoLong(other, "client_input_bytes") == 0);
            try (RespClient after = new RespClient("127.0.0.1", kv.port, 30_000)) {
                assertEquals("served on", RespClient.text(after.call("GET", "k")));
            }
            assertEquals(pid, infoLong(other, "process_id"));
        }
    }

    @Test
    void aMillionArgumentCommandSentInTenThousandWritesIsAnswered() throws Exception {
        // the partial command grows, moves and is resumed over many reads: the parser's progress,
        // kept relative to the command's first byte, must survive every move of the buffer
        int elements = 1_000_000;
        try (ServiceHarness kv = startKv(dir, "kv-args", List.of("-Xmx512m"), "--warm-up", "false");
                RespClient client = new RespClient("127.0.0.1", kv.port, 120_000);
                Socket raw = new Socket(InetAddress.getLoopbackAddress(), kv.port)) {
            raw.setTcpNoDelay(true);
            raw.setSoTimeout(120_000);
            OutputStream out = raw.getOutputStream();
            out.write(("*" + (elements + 2) + "\r\n$5\r\nRPUSH\r\n$4\r\nlist\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder piece = new StringBuilder();
            for (int i = 0; i < elements; i++) {
                String element = Integer.toString(i);
                piece.append('$').append(element.length()).append("\r\n").append(element).append("\r\n");
                if (i % 100 == 99) {
                    out.write(piece.toString().getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    piece.setLength(0);
                }
            }
            byte[] reply = (":" + elements + "\r\n").getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(reply, raw.getInputStream().readNBytes(reply.length));
            assertEquals((long) elements, client.call("LLEN", "list"));
            assertEquals(List.of("0", "1", "2"), texts(client.call("LRANGE", "list", "0", "2")));
            assertEquals(List.of("999998", "999999"), texts(client.call("LRANGE", "list", "-2", "-1")));
            assertEquals(0L, infoLong(client, "client_input_bytes"));
        }
    }

    private static List<String> texts(Object reply) {
        return ((List<?>) reply).stream().map(RespClient::text).toList();
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
