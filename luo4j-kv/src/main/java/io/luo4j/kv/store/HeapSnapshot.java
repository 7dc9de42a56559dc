package io.luo4j.kv.store;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.Memfd;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The heap written to a file and read back: how a service without live update keeps its data over
 * a restart (Redis's SAVE and RDB load), and the baseline luo4j's handover is measured against.
 *
 * <p>It is the fastest such snapshot there can be: every segment's bytes as they are, with no
 * per-key encoding, so writing is one pass of sequential I/O and loading one pass of reads into
 * fresh memfds. The file is written beside its final name, forced to disk and renamed, so a crash
 * leaves the previous snapshot whole.
 *
 * <pre>
 * magic "LUO4KVS1" u64 | version u32 = 1 | segments u32 | segment 0 .. n-1 (64 MiB each) | CRC32C u32 of all before
 * </pre>
 * (little-endian). Loading checks magic, version, the segment count against the heap's limit, the
 * file's length and the checksum before the heap is used.
 */
public final class HeapSnapshot {
    private static final long MAGIC = 0x3153564b344f554cL; // "LUO4KVS1" little-endian
    private static final int VERSION = 1;
    private static final int HEADER = 16;
    private static final int CHUNK = 8 << 20;

    private HeapSnapshot() {}

    /**
     * Writes {@code heap} to {@code file} (replacing it atomically) and forces it to disk.
     *
     * @return the bytes written
     */
    public static long save(SegmentHeap heap, Path file) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        List<Memfd> segments = heap.segments();
        CRC32C crc = new CRC32C();
        long written = 0;
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(MAGIC).putInt(VERSION).putInt(segments.size()).flip();
            crc.update(header.duplicate());
            written += writeFully(out, header);
            for (Memfd segment : segments) {
                MemorySegment memory = segment.segment();
                for (long at = 0; at < memory.byteSize(); at += CHUNK) {
                    ByteBuffer chunk = memory.asSlice(at, Math.min(CHUNK, memory.byteSize() - at)).asByteBuffer();
                    crc.update(chunk.duplicate());
                    written += writeFully(out, chunk);
                }
            }
            ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).flip();
            written += writeFully(out, trailer);
            out.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return written;
    }

    /**
     * Reads the heap saved in {@code file} into new memfd segments.
     *
     * @throws LiveUpdateException EBADMSG for a file that is not a whole, intact snapshot; ENOMEM
     *         when it holds more than {@code maxBytes}
     */
    public static SegmentHeap load(String name, long maxBytes, Path file, Consumer<Memfd> onNewSegment) throws IOException {
        List<Memfd> segments = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(in, header, file);
            header.flip();
            CRC32C crc = new CRC32C();
            crc.update(header.duplicate());
            if (header.getLong() != MAGIC || header.getInt() != VERSION) {
                throw corrupt(file, "it does not start with a version 1 kv snapshot header");
            }
            long count = Integer.toUnsignedLong(header.getInt());
            if (count == 0 || count > Math.max(1, maxBytes / SegmentHeap.SEGMENT_SIZE)) {
                throw new LiveUpdateException(count == 0 ? Errno.EBADMSG : Errno.ENOMEM, "snapshot " + file + " holds " + count
                        + " segments of 64 MiB, " + (count == 0 ? "none" : "more than --memory allows") + ": start with a larger --memory");
            }
            long expected = HEADER + count * SegmentHeap.SEGMENT_SIZE + 4;
            if (in.size() != expected) {
                throw corrupt(file, "it is " + in.size() + " bytes long, not the " + expected + " its header announces");
            }
            for (long s = 0; s < count; s++) {
                Memfd segment = Memfd.create(name + "-" + s, SegmentHeap.SEGMENT_SIZE);
                segments.add(segment);
                MemorySegment memory = segment.segment();
                for (long at = 0; at < memory.byteSize(); at += CHUNK) {
                    ByteBuffer chunk = memory.asSlice(at, Math.min(CHUNK, memory.byteSize() - at)).asByteBuffer();
                    readFully(in, chunk, file);
                    crc.update(chunk.flip());
                }
            }
            ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            readFully(in, trailer, file);
            if (trailer.flip().getInt() != (int) crc.getValue()) {
                throw corrupt(file, "its checksum does not match its content");
            }
            return SegmentHeap.attach(name, maxBytes, segments, onNewSegment);
        } catch (IOException | RuntimeException e) {
            segments.forEach(Memfd::close);
            throw e;
        }
    }

    private static long writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        long n = buffer.remaining();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        return n;
    }

    private static void readFully(FileChannel in, ByteBuffer buffer, Path file) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer) < 0) {
                throw corrupt(file, "it ends early");
            }
        }
    }

    private static LiveUpdateException corrupt(Path file, String why) {
        return new LiveUpdateException(Errno.EBADMSG, "cannot load kv snapshot " + file + ": " + why
                + "; delete it to start empty, or restore a good copy");
    }
}
