package io.luo4j.linux.handover;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handover socket files of predecessors that died mid-upgrade are removed; live ones are not. */
class StaleSocketsTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheSocketsOfDeadPredecessorsAreRemoved() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path stale = Files.createFile(dir.resolve("handover-" + dead.pid() + "-0a1b2c3d4e5f.sock"));
        Path live = Files.createFile(dir.resolve("handover-" + ProcessHandle.current().pid() + "-0a1b2c3d4e5f.sock"));
        Path foreign = Files.createFile(dir.resolve("handover-notapid.sock"));
        Path other = Files.createFile(dir.resolve("cache.sock"));

        SuccessorProcess.removeStaleSockets(dir);

        assertFalse(Files.exists(stale), "the dead predecessor's socket is gone");
        assertTrue(Files.exists(live), "a live predecessor's socket stays");
        assertTrue(Files.exists(foreign) && Files.exists(other), "files that are not handover sockets of a pid stay");
    }
}
