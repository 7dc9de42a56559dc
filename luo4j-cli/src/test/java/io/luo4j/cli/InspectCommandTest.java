package io.luo4j.cli;

import static io.luo4j.cli.LuoctlRun.luoctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.image.ImageLimits;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code luoctl inspect} given what is not an image file: a clear error with its errno-like reason
 * and exit 2, as for luoctl's other errors; never a stack trace, never a read without end.
 */
@Timeout(60)
class InspectCommandTest {
    /** Long enough for a loaded machine, far shorter than reading /dev/zero until the heap runs out. */
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static LuoctlRun inspect(Path path) {
        return assertTimeoutPreemptively(PROMPTLY, () -> luoctl("inspect", path.toString()),
                "luoctl inspect " + path + " did not return within " + PROMPTLY);
    }

    /** Exit 2 and one line on standard error, "luoctl: ERRNO: ..." naming the path; nothing on standard output. */
    private static void assertRefused(LuoctlRun run, String errno, Path path) {
        assertEquals(2, run.exit(), run.printed());
        assertEquals("", run.out(), run.printed());
        assertTrue(run.err().startsWith("luoctl: " + errno + ": "), run.printed());
        assertTrue(run.err().contains(path.toString()), run.printed());
        assertEquals(1, run.err().lines().count(), run.printed());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.printed());
    }

    @Test
    void aMissingPathIsEnoent() {
        Path missing = dir.resolve("no-such.image");
        assertRefused(inspect(missing), "ENOENT", missing);
    }

    @Test
    void aDirectoryIsEisdir() {
        assertRefused(inspect(dir), "EISDIR", dir);
    }

    @Test
    void aCharacterDeviceIsEinvalAndNotRead() {
        LuoctlRun run = inspect(Path.of("/dev/zero"));
        assertRefused(run, "EINVAL", Path.of("/dev/zero"));
        assertTrue(run.err().contains("character device"), run.printed());
    }

    @Test
    void aSymbolicLinkToADeviceIsEinval() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("zero.image"), Path.of("/dev/zero"));
        try {
            assertRefused(inspect(link), "EINVAL", link);
        } finally {
            Files.delete(link); // before @TempDir's clean-up, which warns about links that lead out of it
        }
    }

    /** Opening a FIFO for reading blocks until a writer comes: inspect must not open it at all. */
    @Test
    void aFifoIsEinvalAndNeverOpened() throws Exception {
        Path fifo = dir.resolve("image.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, new String(mkfifo.getInputStream().readAllBytes()));
        LuoctlRun run = inspect(fifo);
        assertRefused(run, "EINVAL", fifo);
        assertTrue(run.err().contains("FIFO"), run.printed());
    }

    /** A sparse file one byte over the image format's limit: refused from its size, not read. */
    @Test
    void aFileLargerThanAnyImageIsEfbig() throws Exception {
        Path big = dir.resolve("big.image");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(ImageLimits.DEFAULT.maxImageBytes() + 1);
        }
        LuoctlRun run = inspect(big);
        assertRefused(run, "EFBIG", big);
        assertTrue(run.err().contains(Long.toString(ImageLimits.DEFAULT.maxImageBytes())), run.printed());
    }

    @Test
    void anEmptyFileIsReadAndFoundTruncated() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.image"));
        assertRefused(inspect(empty), "EBADMSG", empty);
    }
}
