package io.luo4j.kv;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.kv.client.InfoReply;
import io.luo4j.kv.resp.RespClient;
import io.luo4j.linux.testservice.FaultySuccessor;
import io.luo4j.linux.testservice.ServiceHarness;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kv service as users meet it: a real process, upgraded by the control socket (as luoctl does),
 * while real Redis clients (Debian's redis-tools) talk to it.
 */
@Timeout(600)
class KvServiceUpgradeTest {
    @TempDir
    Path dir;

    private static void requireRedisTools() {
        for (String tool : List.of("redis-benchmark", "redis-cli")) {
            boolean found = System.getenv("PATH") != null && List.of(System.getenv("PATH").split(":")).stream()
                    .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
            assertTrue(found, tool + " is not installed: apt-get install redis-tools (.ci/run does)");
        }
    }

    /** The service's count of commands processed (INFO), as the serving generation reports it. */
    private static long commandsProcessed(RespClient client) throws IOException {
        return Long.parseLong(InfoReply.field(RespClient.text(client.call("INFO")), "total_commands_processed"));
    }

    private static ServiceHarness startKv(Path dir, String name, long memory) throws Exception {
        return ServiceHarness.startMain(dir, name, KvService.class, List.of("-Xmx512m"), List.of("--memory", Long.toString(memory)));
    }

    @Test
    void redisBenchmarkSeesNoErrorWhileThreeUpgradesRunAndRedisCliReadsBackEveryKey() throws Exception {
        requireRedisTools();
        int keys = 10_000;
        try (ServiceHarness kv = startKv(dir, "kv-bench", 512L << 20);
                RespClient early = new RespClient("127.0.0.1", kv.port, 30_000)) {
            for (int i = 0; i < keys; i++) {
                early.send("SET", "it:key:" + i, "value-" + i);
            }
            early.flush();
            for (int i = 0; i < keys; i++) {
                assertEquals("OK", early.read());
            }
            assertEquals("OK", early.call("SET", "opened-before", "still-here"));

            Process benchmark = new ProcessBuilder("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(kv.port), "-n", "25000", "-q")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("benchmark.txt").toFile()).start();
            List<ServiceHarness.Answer> upgrades = new ArrayList<>();
            for (int u = 0; u < 3; u++) {
                // the benchmark has sent this generation a good share of its requests: the upgrade lands mid-run
                long served = commandsProcessed(early);
                await("redis-benchmark runs against generation " + u).atMost(120, TimeUnit.SECONDS)
                        .until(() -> commandsProcessed(early) - served >= 20_000 || !benchmark.isAlive());
                assertTrue(benchmark.isAlive(), "the benchmark must still run during upgrade " + (u + 1));
                upgrades.add(kv.upgrade());
            }
            assertTrue(benchmark.waitFor(300, TimeUnit.SECONDS));
            String output = Files.readString(dir.resolve("benchmark.txt")).replace('\r', '\n');
            for (ServiceHarness.Answer report : upgrades) {
                assertEquals(0, report.exitCode(), () -> report.text() + "\n" + kv.log());
            }
            assertEquals(0, benchmark.exitValue(), "redis-benchmark stops at its first error: " + output);
            assertFalse(output.contains("Error") || output.contains("ERR"), output);
            for (String test : List.of("PING_INLINE", "SET:", "GET:", "INCR:", "LPUSH:", "SADD:", "HSET:", "SPOP:", "ZADD:",
                    "ZPOPMIN:", "LRANGE_600", "MSET (10 keys)")) {
                assertTrue(output.contains(test), "missing " + test + " in\n" + output);
            }

            // redis-cli reads back every key
            Path commands = dir.resolve("gets.txt");
            StringBuilder gets = new StringBuilder();
            for (int i = 0; i < keys; i++) {
                gets.append("GET it:key:").append(i).append('\n');
            }
            Files.writeString(commands, gets);
            Process cli = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(kv.port))
                    .redirectInput(commands.toFile()).redirectErrorStream(true).start();
            List<String> values = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertTrue(cli.waitFor(120, TimeUnit.SECONDS));
            assertEquals(keys, values.size(), () -> values.subList(0, Math.min(5, values.size())).toString());
            for (int i = 0; i < keys; i++) {
                assertEquals("value-" + i, values.get(i), "key it:key:" + i);
            }

            // the connection opened before the upgrades still answers
            assertEquals("still-here", RespClient.text(early.call("GET", "opened-before")));
            assertEquals("PONG", early.call("PING"));
            String info = RespClient.text(early.call("INFO"));
            assertTrue(info.contains("luo4j_generation:3"), info);
        }
    }

    @Test
    void aTwoGibibyteDataSetSurvivesAnUpgradeWithItsChecksum() throws Exception {
        int values = 2150;
        int size = 1_000_000; // 2.15 GB, in 1 MiB blocks
        try (ServiceHarness kv = startKv(dir, "kv-2g", 3L << 30);
                RespClient client = new RespClient("127.0.0.1", kv.port, 120_000)) {
            long before = load(client, values, size);
            String info = RespClient.text(client.call("INFO"));
            long stateBytes = Long.parseLong(field(info, "luo4j_state_bytes"));
            assertTrue(stateBytes >= 2L << 30, "state bytes " + stateBytes);
            long shmemBefore = shmemKib();

            ServiceHarness.Answer report = kv.upgrade();
            assertEquals(0, report.exitCode(), () -> report.text() + "\n" + kv.log());
            long shmemAfter = shmemKib();

            assertEquals(before, readBack(client, values), "the data set's checksum after the upgrade");
            assertTrue(Math.abs(shmemAfter - shmemBefore) < 256 * 1024, "shared memory moved by " + (shmemAfter - shmemBefore)
                    + " KiB: a copy of the data set would add 2 GiB");
            String after = RespClient.text(client.call("INFO"));
            assertEquals(Long.toString(stateBytes), field(after, "luo4j_state_bytes"));
            assertEquals("1", field(after, "luo4j_generation"));
        }
    }

    @Test
    void aSuccessorKilledInItsGracePeriodHandsTheCacheBackWithEveryKeyAndItsOwnWrites() throws Exception {
        try (ServiceHarness kv = startKv(dir, "kv-grace", 128L << 20);
                RespClient early = new RespClient("127.0.0.1", kv.port, 30_000)) {
            for (int i = 0; i < 1000; i++) {
                early.send("SET", "key:" + i, "value-" + i);
            }
            early.flush();
            for (int i = 0; i < 1000; i++) {
                assertEquals("OK", early.read());
            }
            String predecessor = field(RespClient.text(early.call("INFO")), "process_id");
            String exec = FaultySuccessor.command("kill", 1500, KvService.SERVING, kv.command);
            CompletableFuture<ServiceHarness.Answer> upgrade = CompletableFuture.supplyAsync(
                    () -> kv.upgrade(exec, Duration.ofSeconds(60), null, Duration.ofSeconds(6)));
            await("the successor serves this connection").atMost(60, TimeUnit.SECONDS)
                    .until(() -> "1".equals(field(RespClient.text(early.call("INFO")), "luo4j_generation")));
            assertEquals("OK", early.call("SET", "written-by", "the successor"));
            assertEquals(1L, early.call("INCR", "counter"));
            for (int i = 0; i < 8000; i++) { // enough that the successor grows the index: its directory moves
                early.send("SET", "successor:" + i, "s-" + i);
            }
            early.flush();
            for (int i = 0; i < 8000; i++) {
                assertEquals("OK", early.read());
            }
            ServiceHarness.Answer report = upgrade.get(120, TimeUnit.SECONDS);

            assertEquals(1, report.exitCode(), () -> report.text() + "\n" + kv.log());
            assertTrue(report.text().get(0).contains("took the service back"), report.text()::toString);
            String info = RespClient.text(early.call("INFO"));
            assertEquals(predecessor, field(info, "process_id"), "the old process serves the same connection again");
            assertEquals("0", field(info, "luo4j_generation"));
            assertEquals("the successor", RespClient.text(early.call("GET", "written-by")), "its writes are in the shared heap");
            assertEquals(2L, early.call("INCR", "counter"));
            for (int i = 0; i < 1000; i += 97) {
                assertEquals("value-" + i, RespClient.text(early.call("GET", "key:" + i)));
            }
            for (int i = 0; i < 8000; i += 797) {
                assertEquals("s-" + i, RespClient.text(early.call("GET", "successor:" + i)), "the successor's keys, in its grown index");
            }
            assertEquals(9002L, early.call("DBSIZE"), "every key, those the successor wrote included");
            assertEquals(0, kv.upgrade().exitCode(), "a later upgrade commits");
        }
    }

    @Test
    void aCommandHalfSentBeforeAnUpgradeIsCompletedAfterIt() throws Exception {
        byte[] value = new byte[3 << 20];
        new Random(7).nextBytes(value);
        byte[] head = ("*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$" + value.length + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (ServiceHarness kv = startKv(dir, "kv-half", 128L << 20);
                RespClient check = new RespClient("127.0.0.1", kv.port, 30_000);
                Socket raw = new Socket("127.0.0.1", kv.port)) {
            raw.setSoTimeout(30_000);
            OutputStream out = raw.getOutputStream();
            DataInputStream in = new DataInputStream(raw.getInputStream());
            out.write(head);
            out.write(value, 0, value.length / 2);
            out.flush();
            assertEquals("+PONG", line(in), "the complete command before the partial one is answered");
            await("the service holds the half-sent command").atMost(30, TimeUnit.SECONDS)
                    .until(() -> Long.parseLong(field(RespClient.text(check.call("INFO")), "client_input_bytes")) >= value.length / 2);

            ServiceHarness.Answer report = kv.upgrade();
            assertEquals(0, report.exitCode(), () -> report.text() + "\n" + kv.log());

            out.write(value, value.length / 2, value.length - value.length / 2);
            out.write("\r\n*2\r\n$3\r\nGET\r\n$4\r\nhalf\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("+OK", line(in), "the successor completed the command the predecessor had half");
            assertEquals("$" + value.length, line(in));
            byte[] back = new byte[value.length];
            in.readFully(back);
            assertArrayEquals(value, back);
            assertEquals("", line(in));
            String info = RespClient.text(check.call("INFO"));
            assertEquals("1", field(info, "luo4j_generation"));
            assertEquals("0", field(info, "client_input_bytes"), "the successor holds no input once the command ran");
        }
    }

    /** A reply line without its CRLF. */
    private static String line(DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the service closed the connection after " + line);
            }
            line.append((char) c);
        }
        assertEquals('\n', in.read());
        return line.toString();
    }

    private static long load(RespClient client, int values, int size) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] value = new byte[size];
        for (int i = 0; i < values; i++) {
            new Random(i).nextBytes(value);
            crc.update(value);
            client.send("SET", "big:" + i, value);
            if (i % 16 == 15) {
                drainOk(client, 16);
            }
        }
        drainOk(client, values % 16);
        return crc.getValue();
    }

    private static void drainOk(RespClient client, int replies) throws IOException {
        client.flush();
        for (int i = 0; i < replies; i++) {
            assertEquals("OK", client.read());
        }
    }

    private static long readBack(RespClient client, int values) throws IOException {
        CRC32C crc = new CRC32C();
        for (int i = 0; i < values; i++) {
            crc.update((byte[]) client.call("GET", "big:" + i));
        }
        return crc.getValue();
    }

    private static String field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse("");
    }

    private static long shmemKib() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("Shmem:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }
}
