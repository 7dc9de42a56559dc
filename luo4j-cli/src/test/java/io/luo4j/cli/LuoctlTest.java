package io.luo4j.cli;

import static io.luo4j.cli.LuoctlRun.luoctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.FileHandler;
import io.luo4j.FileOpArgs;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.testservice.ServiceHarness;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** luoctl's upgrade, status and inspect, as a user runs them: against a real service process and a real image. */
@Timeout(180)
class LuoctlTest {
    @TempDir
    Path dir;

    @AfterEach
    void forgetRuntimeDirectory() {
        System.clearProperty("luo4j.runtime.dir");
    }

    @Test
    void upgradeAndStatusDriveARunningService() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "cli-svc")) {
            System.setProperty("luo4j.runtime.dir", dir.resolve("run").toString());
            ServiceHarness.LineClient client = service.connect();
            assertEquals("1", client.call("INCR"));

            LuoctlRun before = luoctl("status", "cli-svc");
            assertEquals(0, before.exit(), before.err());
            assertTrue(before.out().startsWith("service cli-svc  pid "), before.out());
            assertTrue(before.out().contains("generation 0  running"), before.out());
            assertTrue(before.out().contains("handlers: test-fault-v1, memfd-v1, tcp-listener-v1"), before.out());
            assertTrue(before.out().contains("  listener: 1 files"), before.out());
            assertTrue(before.out().contains("tcp-listener-v1"), before.out());

            LuoctlRun upgrade = luoctl("upgrade", "cli-svc", "--timeout", "60");
            assertEquals(0, upgrade.exit(), upgrade.out() + upgrade.err() + service.log());
            assertTrue(upgrade.err().contains("upgrade cli-svc: started successor pid"), upgrade.err());
            assertTrue(upgrade.err().contains("upgrade cli-svc: committed generation 1"), upgrade.err());
            assertTrue(upgrade.out().startsWith("upgrade of cli-svc: committed generation 1"), upgrade.out());
            assertEquals("2", client.call("INCR"));

            LuoctlRun json = luoctl("status", "cli-svc", "--json");
            assertEquals(0, json.exit());
            assertTrue(json.out().startsWith("{\"service\":\"cli-svc\""), json.out());
            assertTrue(json.out().contains("\"generation\":1"), json.out());

            LuoctlRun rolledBack = luoctl("upgrade", "cli-svc", "--exec", service.commandWithFault("exit-before-ready"), "--json");
            assertEquals(1, rolledBack.exit(), rolledBack.out());
            assertTrue(rolledBack.out().contains("\"committed\":false") && rolledBack.out().contains("\"reason\":\"ECONNRESET\""),
                    rolledBack.out());
            assertEquals("3", client.call("INCR"));

            Path image = dir.resolve("run").resolve("cli-svc.image");
            LuoctlRun inspect = luoctl("inspect", image.toString());
            assertEquals(0, inspect.exit(), inspect.err());
            assertTrue(inspect.out().contains("luo4j-image-v1") && inspect.out().contains("generation 1"), inspect.out());
            assertTrue(inspect.out().contains("session \"luo4j\": 1 files"), inspect.out());
            assertTrue(inspect.out().contains("unix-listener-v1"), inspect.out());
        }
    }

    @Test
    void theDemoUpgradesUnderLoadAndVerifiesEveryKey() {
        LuoctlRun demo = luoctl("demo", "--keys", "3000", "--clients", "2", "--upgrades", "2", "--load-seconds", "0.5");
        assertEquals(0, demo.exit(), demo.out() + demo.err());
        String last = demo.out().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("demo: upgrades=2 requests=[1-9][0-9]* failed=0 reconnects=0 keys_verified=3000/3000 max_blackout_ms=[0-9.]+"),
                last);
        assertTrue(demo.out().contains("upgrade  generation  freeze ms  handover ms  blackout ms  client max ms"), demo.out());
        assertTrue(demo.out().contains("committed"), demo.out());
    }

    @Test
    void aServiceThatDoesNotRunIsAClearErrorWithExitTwo() {
        System.setProperty("luo4j.runtime.dir", dir.toString());
        LuoctlRun run = luoctl("status", "nobody-home");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("luoctl: ENOENT") && run.err().contains("nobody-home"), run.err());
        LuoctlRun bad = luoctl("upgrade", "bad name!");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("EINVAL"), bad.err());
    }

    @Test
    void inspectShowsSessionsFilesTokensHandlersAndGeneration() throws Exception {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        luo.registerHandler(new FileHandler() {
            @Override
            public String compatible() {
                return "note-v1";
            }

            @Override
            public boolean canPreserve(Object f) {
                return f instanceof String;
            }

            @Override
            public void preserve(FileOpArgs a) {
                a.setSerializedData(((String) a.file()).getBytes());
            }

            @Override
            public void unpreserve(FileOpArgs a) {}

            @Override
            public void retrieve(FileOpArgs a) {}

            @Override
            public void finish(FileOpArgs a) {}
        });
        Session s = luo.createSession("notes");
        s.preserve(7, "seven");
        s.preserve(9, "nine!");
        Path file = dir.resolve("gen1.image");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            out.write(luo.upgrade().image());
        }
        LuoctlRun text = luoctl("inspect", file.toString());
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("generation 1, 1 sessions, 2 files, 0 descriptors"), text.out());
        assertTrue(text.out().contains("session \"notes\": 2 files"), text.out());
        assertTrue(text.out().contains("token 7") && text.out().contains("note-v1") && text.out().contains("5 bytes"), text.out());
        LuoctlRun json = luoctl("inspect", file.toString(), "--json");
        assertTrue(json.out().contains("\"token\":9"), json.out());

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        LuoctlRun damaged = luoctl("inspect", file.toString());
        assertEquals(2, damaged.exit());
        assertTrue(damaged.err().contains("luoctl: EBADMSG") && damaged.err().contains("checksum"), damaged.err());
    }
}
