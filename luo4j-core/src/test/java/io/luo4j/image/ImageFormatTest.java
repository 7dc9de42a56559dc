package io.luo4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Scenarios 46 and 47, and the byte layout documented in docs/image-format.md. */
class ImageFormatTest {
    static Image sample() {
        return new Image(7,
                List.of(new ImageSession("web", List.of(
                                new ImageEntry("tcp-listener-v1", 1, "port=8080".getBytes(StandardCharsets.UTF_8), 0, 1),
                                new ImageEntry("memfd-v1", 2, new byte[0], 1, 2))),
                        new ImageSession("empty", List.of())),
                List.of(new ImageEntry("arena-v1", 2, new byte[] {1, 2, 3}, 3, 0)),
                3);
    }

    private static LiveUpdateException failure(Errno reason, Executable call) {
        LiveUpdateException e = assertThrows(LiveUpdateException.class, call);
        assertEquals(reason, e.reason(), e::getMessage);
        return e;
    }

    /** Recomputes the checksum after a deliberate edit, so the structure checks behind it are reached. */
    static ByteBuffer resealed(ByteBuffer image) {
        ByteBuffer b = image.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int end = b.limit() - 8;
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, end));
        b.putInt(end, (int) crc.getValue());
        return b;
    }

    static ByteBuffer copy(ByteBuffer image) {
        ByteBuffer c = ByteBuffer.allocate(image.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        c.put(image.duplicate()).flip();
        return c;
    }

    @Test
    void roundTripKeepsEverything() {
        Image image = sample();
        ByteBuffer bytes = ImageWriter.write(image);
        assertEquals(ImageWriter.size(image), bytes.remaining());
        Image read = ImageReader.read(bytes);
        assertEquals(7, read.generation());
        assertEquals(3, read.descriptorCount());
        assertEquals(List.of("web", "empty"), read.sessions().stream().map(ImageSession::name).toList());
        ImageEntry listener = read.sessions().get(0).files().get(0);
        assertEquals("tcp-listener-v1", listener.compatible());
        assertEquals(1, listener.token());
        assertArrayEquals("port=8080".getBytes(StandardCharsets.UTF_8), listener.data());
        assertEquals(0, listener.firstDescriptor());
        assertEquals(1, listener.descriptorCount());
        ImageEntry memfd = read.sessions().get(0).files().get(1);
        assertEquals(1, memfd.firstDescriptor());
        assertEquals(2, memfd.descriptorCount());
        assertEquals(2, read.flbs().get(0).users());
        assertArrayEquals(new byte[] {1, 2, 3}, read.flbs().get(0).data());
        assertEquals(2, read.fileCount());
        // the same image writes the same bytes
        assertEquals(bytes, ImageWriter.write(read));
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        ByteBuffer b = ImageWriter.write(sample()).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(0, magic);
        assertEquals("LUO4JIMG", new String(magic, StandardCharsets.US_ASCII));
        byte[] compatible = new byte[16];
        b.get(8, compatible);
        assertEquals("luo4j-image-v1", new String(compatible, StandardCharsets.US_ASCII).trim().replace("\0", ""));
        assertEquals(b.limit(), b.getLong(24));
        assertEquals(7, b.getLong(32));
        assertEquals(2, b.getInt(40));
        assertEquals(1, b.getInt(44));
        assertEquals(3, b.getInt(48));
        // first session block at 64: length, file count, name length, reserved, name padded to 8
        assertEquals(2, b.getInt(64 + 4));
        assertEquals(3, b.getInt(64 + 8));
        assertEquals('w', b.get(64 + 16));
        // its first file entry at 64 + 16 + 8
        int entry = 64 + 24;
        assertEquals(32 + 24, b.getInt(entry)); // header + align8(15 + 9)
        assertEquals(15, b.getInt(entry + 4));
        assertEquals(1, b.getLong(entry + 8));
        assertEquals(9, b.getInt(entry + 16));
        assertEquals(0x444E454C, b.getInt(b.limit() - 4));
        assertEquals(264, b.limit(), "the example in docs/image-format.md");
        assertEquals(0, b.limit() % 8);
    }

    @Test
    void scenario46_anImageOfAnotherVersionIsAClearErrorAndNothingIsRestored() {
        ByteBuffer b = copy(ImageWriter.write(sample()));
        byte[] v2 = "luo4j-image-v2".getBytes(StandardCharsets.US_ASCII);
        b.put(8, v2);
        LiveUpdateException e = failure(Errno.EOPNOTSUPP, () -> ImageReader.read(resealed(b)));
        assertTrue(e.getMessage().contains("luo4j-image-v2") && e.getMessage().contains("luo4j-image-v1"), e.getMessage());
        assertEquals("luo4j-image-v2", ImageReader.compatibleOf(b));
    }

    @Test
    void scenario46_unknownFlagsAreRefused() {
        ByteBuffer b = copy(ImageWriter.write(sample()));
        b.putInt(52, 1);
        failure(Errno.EOPNOTSUPP, () -> ImageReader.read(resealed(b)));
    }

    @Test
    void scenario46_somethingThatIsNotAnImageIsEinval() {
        ByteBuffer b = copy(ImageWriter.write(sample()));
        b.put(0, (byte) 'X');
        failure(Errno.EINVAL, () -> ImageReader.read(b));
    }

    @Test
    void scenario47_everyTruncationIsAClearError() {
        ByteBuffer full = ImageWriter.write(sample());
        for (int length = 0; length < full.remaining(); length++) {
            ByteBuffer cut = full.duplicate().limit(length);
            LiveUpdateException e = assertThrows(LiveUpdateException.class, () -> ImageReader.read(cut), "length " + length);
            assertEquals(Errno.EBADMSG, e.reason(), e.getMessage());
        }
    }

    @Test
    void scenario47_everySingleBitFlipIsDetected() {
        ByteBuffer full = ImageWriter.write(sample());
        for (int bit = 0; bit < full.remaining() * 8; bit++) {
            ByteBuffer flipped = copy(full);
            int at = bit / 8;
            flipped.put(at, (byte) (flipped.get(at) ^ (1 << (bit % 8))));
            assertThrows(LiveUpdateException.class, () -> ImageReader.read(flipped), "bit " + bit);
        }
    }

    @Test
    void scenario47_trailingBytesAreRefused() {
        ByteBuffer full = ImageWriter.write(sample());
        ByteBuffer longer = ByteBuffer.allocate(full.remaining() + 8);
        longer.put(full.duplicate()).clear();
        failure(Errno.EBADMSG, () -> ImageReader.read(longer));
    }

    @Test
    void scenario47_oversizedImagesAndCountsAreE2bigBeforeAnyAllocation() {
        ByteBuffer full = copy(ImageWriter.write(sample()));
        ImageLimits tiny = new ImageLimits(64 + 8 + 16, 10, 10, 10, 10, 10);
        failure(Errno.E2BIG, () -> ImageReader.read(full, tiny));
        failure(Errno.E2BIG, () -> ImageReader.read(full, new ImageLimits(1 << 20, 1, 10, 10, 10, 10)));
        failure(Errno.E2BIG, () -> ImageReader.read(full, new ImageLimits(1 << 20, 10, 1, 10, 10, 10)));
        failure(Errno.E2BIG, () -> ImageReader.read(full, new ImageLimits(1 << 20, 10, 10, 10, 2, 10)));
        failure(Errno.E2BIG, () -> ImageReader.read(full, new ImageLimits(1 << 20, 10, 10, 0, 10, 10)));
        failure(Errno.E2BIG, () -> ImageReader.read(full, new ImageLimits(1 << 20, 10, 10, 10, 10, 2)));
        // a huge claimed length is refused from the root alone
        ByteBuffer liar = copy(full);
        liar.putLong(24, Long.MAX_VALUE);
        failure(Errno.E2BIG, () -> ImageReader.read(liar));
    }

    @Test
    void scenario47_countsThatCannotFitTheBytesAreRefusedWithoutAllocating() {
        // 2^31-1 sessions in a 100-byte image: the reader must not size a list by that
        ByteBuffer b = copy(ImageWriter.write(new Image(1, List.of(), List.of(), 0)));
        b.putInt(40, Integer.MAX_VALUE);
        ImageLimits generous = new ImageLimits(1 << 20, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MAX_VALUE);
        failure(Errno.EBADMSG, () -> ImageReader.read(resealed(b), generous));
        ByteBuffer files = copy(ImageWriter.write(sample()));
        files.putInt(64 + 4, Integer.MAX_VALUE);
        failure(Errno.EBADMSG, () -> ImageReader.read(resealed(files), generous));
        ByteBuffer data = copy(ImageWriter.write(sample()));
        data.putInt(64 + 24 + 16, Integer.MAX_VALUE - 1); // data length
        failure(Errno.EBADMSG, () -> ImageReader.read(resealed(data), generous));
    }

    @Test
    void scenario47_inconsistentStructuresBehindAValidChecksumAreEbadmsg() {
        ByteBuffer base = ImageWriter.write(sample());
        int entry = 64 + 24;
        int[][] edits = {
            {64, 8},                 // session length too small
            {64 + 8, 0},             // empty session name
            {64 + 8, 64},            // name too long
            {64 + 12, 1},            // reserved not zero
            {entry, 8},              // entry length mismatch
            {entry + 4, 0},          // empty compatible
            {entry + 4, 48},         // compatible too long
            {entry + 20, 3},         // descriptors past the count
            {entry + 28, 9},         // entry reserved not zero
            {32 + 4, 0x80000000},    // negative generation
            {56, 1},                 // root reserved
            {64 + 16, 0xFFFF},       // name not UTF-8
        };
        for (int[] edit : edits) {
            ByteBuffer b = copy(base);
            b.putInt(edit[0], edit[1]);
            LiveUpdateException e = assertThrows(LiveUpdateException.class, () -> ImageReader.read(resealed(b)),
                    "edit at " + edit[0]);
            assertEquals(Errno.EBADMSG, e.reason(), "edit at " + edit[0] + ": " + e.getMessage());
        }
    }

    @Test
    void writerRefusesWhatItCannotWrite() {
        failure(Errno.EINVAL, () -> ImageWriter.write(new Image(1, List.of(new ImageSession("", List.of())), List.of(), 0)));
        failure(Errno.EINVAL, () -> ImageWriter.write(new Image(1, List.of(new ImageSession("s",
                List.of(new ImageEntry("x".repeat(48), 1, null, 0, 0)))), List.of(), 0)));
        failure(Errno.EINVAL, () -> ImageWriter.write(new Image(1, List.of(new ImageSession("s",
                List.of(new ImageEntry("x", 1, null, 0, 2)))), List.of(), 1)));
        failure(Errno.E2BIG, () -> ImageWriter.write(sample(), 100));
        failure(Errno.ENOSPC, () -> ImageWriter.write(sample(), ByteBuffer.allocate(10)));
        ByteBuffer target = ByteBuffer.allocate(1000);
        target.position(16);
        ImageWriter.write(sample(), target);
        assertEquals(16 + ImageWriter.size(sample()), target.position());
        assertEquals(7, ImageReader.read(target.flip().position(16)).generation());
    }

    @Test
    void writerRefusesTextWithoutAnExactUtf8FormInsteadOfWritingAQuestionMark() {
        LiveUpdateException session = failure(Errno.EINVAL,
                () -> ImageWriter.write(new Image(1, List.of(new ImageSession("a\uD800", List.of())), List.of(), 0)));
        assertTrue(session.getMessage().contains("surrogate"), session.getMessage());
        failure(Errno.EINVAL, () -> ImageWriter.size(new Image(1, List.of(new ImageSession("\uDC00", List.of())), List.of(), 0)));
        failure(Errno.EINVAL, () -> ImageWriter.write(new Image(1, List.of(), List.of(new ImageEntry("f\uDBFF", 1, null, 0, 0)), 0)));
        failure(Errno.EINVAL, () -> ImageWriter.write(new Image(1, List.of(new ImageSession("s",
                List.of(new ImageEntry("\uD800\uD800", 1, null, 0, 0)))), List.of(), 0)));
        String pair = "\uD83D\uDE00";
        Image image = new Image(1, List.of(new ImageSession(pair, List.of(new ImageEntry("c" + pair, 1, null, 0, 0)))), List.of(), 0);
        Image read = ImageReader.read(ImageWriter.write(image));
        assertEquals(pair, read.sessions().get(0).name());
        assertEquals("c" + pair, read.sessions().get(0).files().get(0).compatible());
    }
}
