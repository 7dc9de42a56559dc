package io.luo4j.linux.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime directory: created private, a symbolic link of this user's followed, a bad one refused clearly. */
class RuntimeDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void aSymbolicLinkOfThisUsersToADirectoryIsFollowed() throws Exception {
        Path target = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        Path used = RuntimeDirectory.ensure(link);
        assertEquals(target.toRealPath(), used);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void aSymbolicLinkToSomethingElseIsRefusedNamingItsTarget() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        LiveUpdateException refused = assertThrows(LiveUpdateException.class, () -> RuntimeDirectory.ensure(link));
        assertEquals(Errno.ENOTDIR, refused.reason());
        assertTrue(refused.getMessage().contains(file.toRealPath().toString()), refused.getMessage());
    }
}
