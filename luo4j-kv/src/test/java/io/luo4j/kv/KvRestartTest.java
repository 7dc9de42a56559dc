package io.luo4j.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.kv.client.DemoKeys;
import io.luo4j.kv.client.InfoReply;
import io.luo4j.kv.client.KvProcess;
import io.luo4j.kv.resp.RespClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kv service restarted the ways services restart without luo4j: from a snapshot file, and with
 * a second process bound beside the first (SO_REUSEPORT). The benchmarks measure luo4j against
 * both; here they must simply work.
 */
@Timeout(300)
class KvRestartTest {
    @TempDir
    Path dir;

    private KvProcess start(String name, int port, String... options) throws Exception {
        return KvProcess.start(name, port, dir, List.of("-Xmx256m"), List.of(options));
    }

    @Test
    void shutdownSaveThenAColdStartFromTheSnapshotKeepsEveryKey() throws Exception {
        int port = KvProcess.freePort();
        Path snapshot = dir.resolve("kv.snapshot");
        try (KvProcess first = start("snap-1", port, "--snapshot", snapshot.toString(), "--warm-up", "false", "--memory", "256000000")) {
            DemoKeys.load(port, 3000);
            try (RespClient client = new RespClient("127.0.0.1", port, 30_000)) {
                for (int i = 0; i < 100; i++) {
                    client.send("INCR", "pipelined");
                }
                client.send("SHUTDOWN", "SAVE");
                client.flush();
                for (int i = 1; i <= 100; i++) {
                    assertEquals((long) i, client.read(), "every command sent before SHUTDOWN is answered");
                }
                assertThrows(IOException.class, client::read, "then the connection closes, with no reply to SHUTDOWN");
            }
            assertTrue(first.awaitExit(Duration.ofSeconds(30)), "the process exits");
            assertEquals(0, first.process().exitValue());
        }
        assertTrue(Files.size(snapshot) > 64L << 20);
        try (KvProcess second = start("snap-2", port, "--snapshot", snapshot.toString(), "--warm-up", "false", "--memory", "256000000")) {
            assertEquals(3000, DemoKeys.verify(port, 3000));
            try (RespClient client = new RespClient("127.0.0.1", port, 30_000)) {
                assertEquals("100", RespClient.text(client.call("GET", "pipelined")));
                String info = RespClient.text(client.call("INFO"));
                assertTrue(Double.parseDouble(InfoReply.field(info, "luo4j_snapshot_load_ms")) > 0, info);
                assertEquals("0", InfoReply.field(info, "luo4j_generation"), "a cold start, not an upgrade");
            }
        }
    }

    @Test
    void saveWithoutASnapshotFileSaysHowToConfigureOne() throws Exception {
        int port = KvProcess.freePort();
        try (KvProcess kv = start("nosnap", port, "--warm-up", "false", "--memory", "128000000");
                RespClient client = new RespClient("127.0.0.1", port, 30_000)) {
            Object reply = client.call("SAVE");
            assertInstanceOf(RespClient.Error.class, reply);
            assertTrue(((RespClient.Error) reply).message().contains("--snapshot FILE"), reply.toString());
        }
    }

    @Test
    void withReuseportASecondProcessServesBesideTheFirstAndTakesOverWhenItLeaves() throws Exception {
        int port = KvProcess.freePort();
        try (KvProcess old = start("pair-old", port, "--reuseport", "true", "--warm-up", "false", "--memory", "128000000");
                KvProcess next = start("pair-new", port, "--reuseport", "true", "--warm-up", "false", "--memory", "128000000")) {
            try (RespClient toOld = old.connect()) {
                toOld.send("SHUTDOWN", "NOSAVE");
                toOld.flush();
                assertThrows(IOException.class, toOld::read);
            }
            assertTrue(old.awaitExit(Duration.ofSeconds(30)));
            for (int i = 0; i < 20; i++) {
                try (RespClient client = new RespClient("127.0.0.1", port, 10_000)) {
                    assertEquals("pair-new", InfoReply.field(RespClient.text(client.call("INFO")), "luo4j_service"));
                }
            }
        }
    }
}
