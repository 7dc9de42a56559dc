package io.luo4j.image;

import static io.luo4j.image.ImageLayout.*;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads an image written by {@link ImageWriter}, trusting nothing in it.
 *
 * <p>Checks, in order: size of the root, magic, version (compatible string), declared length
 * against the limit and against the bytes present, end mark, CRC32C, then every block and entry:
 * each count and length is checked against the limits and against the bytes that remain before
 * anything is allocated for it, so a hostile length can make the reader fail but never make it
 * allocate. Every failure is a {@link LiveUpdateException}:
 * <ul>
 *   <li>EINVAL: not a luo4j image at all (wrong magic);</li>
 *   <li>EOPNOTSUPP: a luo4j image of a version this build does not read, or with flags it does not know;</li>
 *   <li>E2BIG: larger than a configured limit;</li>
 *   <li>EBADMSG: truncated, trailing bytes, checksum mismatch, or an inconsistent structure.</li>
 * </ul>
 */
public final class ImageReader {
    private final ByteBuffer in;
    private final ImageLimits limits;
    private byte[] lastCompatibleBytes;
    private String lastCompatible;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int descriptorCount;

    private ImageReader(ByteBuffer in, ImageLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** Reads an image with the {@linkplain ImageLimits#DEFAULT default limits}. */
    public static Image read(ByteBuffer image) {
        return read(image, ImageLimits.DEFAULT);
    }

    /**
     * Reads the image between {@code image}'s position and limit; the buffer itself is not changed.
     *
     * @throws LiveUpdateException if the bytes are not a valid image within {@code limits}
     */
    public static Image read(ByteBuffer image, ImageLimits limits) {
        return new ImageReader(image.slice().order(ByteOrder.LITTLE_ENDIAN), limits).readImage();
    }

    /**
     * The version string of the image in {@code image}, read without validating the rest; for
     * tools that report what they were given.
     */
    public static String compatibleOf(ByteBuffer image) {
        ByteBuffer in = image.slice();
        if (in.remaining() < ROOT_SIZE) {
            throw corrupt("the image is truncated: " + in.remaining() + " bytes, a root block alone is " + ROOT_SIZE);
        }
        return cString(in, ROOT_COMPATIBLE, COMPATIBLE_FIELD);
    }

    private Image readImage() {
        long available = in.remaining();
        if (available < ROOT_SIZE + TRAILER_SIZE) {
            throw corrupt("the image is truncated: " + available + " bytes, the smallest image is "
                    + (ROOT_SIZE + TRAILER_SIZE));
        }
        byte[] magic = new byte[MAGIC.length];
        in.get(ROOT_MAGIC, magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new LiveUpdateException(Errno.EINVAL, "this is not a luo4j handover image (it does not start with \"LUO4JIMG\"):"
                    + " check that the predecessor runs luo4j and that the right file or buffer was given");
        }
        String compatible = cString(in, ROOT_COMPATIBLE, COMPATIBLE_FIELD);
        if (!COMPATIBLE.equals(compatible)) {
            throw new LiveUpdateException(Errno.EOPNOTSUPP, "the image has format \"" + compatible + "\" but this luo4j reads only \""
                    + COMPATIBLE + "\": upgrade between luo4j versions that share an image format, or restart cold");
        }
        long length = in.getLong(ROOT_LENGTH);
        if (length < 0 || length > limits.maxImageBytes()) {
            throw new LiveUpdateException(Errno.E2BIG, "the image declares " + Long.toUnsignedString(length)
                    + " bytes, over the limit of " + limits.maxImageBytes() + ": raise maxImageBytes if this is expected");
        }
        if (length != available) {
            throw corrupt(length > available
                    ? "the image is truncated: " + available + " of " + length + " bytes arrived"
                    : "the image has " + (available - length) + " bytes after its declared end (" + length + " bytes)");
        }
        int end = (int) length - TRAILER_SIZE;
        if (in.getInt(end + TRAILER_END_MARK) != END_MARK) {
            throw corrupt("the end mark is missing: the image was cut or overwritten");
        }
        CRC32C crc = new CRC32C();
        crc.update(in.slice(0, end));
        int stored = in.getInt(end + TRAILER_CRC);
        if ((int) crc.getValue() != stored) {
            throw corrupt(String.format("checksum mismatch (stored %08x, computed %08x): the image was corrupted in transit",
                    stored, (int) crc.getValue()));
        }
        requireZeroBytes(ROOT_COMPATIBLE + compatible.length(), ROOT_COMPATIBLE + COMPATIBLE_FIELD, "the version field's padding");
        if (in.getInt(ROOT_FLAGS) != 0) {
            throw new LiveUpdateException(Errno.EOPNOTSUPP, "the image uses flags 0x" + Integer.toHexString(in.getInt(ROOT_FLAGS))
                    + " that this luo4j does not know: upgrade to a luo4j that reads them");
        }
        requireZero(in.getLong(ROOT_RESERVED), "the root's reserved field");
        long generation = in.getLong(ROOT_GENERATION);
        if (generation < 0) {
            throw corrupt("the generation is negative: " + generation);
        }
        int sessionCount = count(in.getInt(ROOT_SESSION_COUNT), limits.maxSessions(), end - ROOT_SIZE,
                sessionBlockSize(1), "sessions");
        int flbCount = count(in.getInt(ROOT_FLB_COUNT), limits.maxFlbs(), end - ROOT_SIZE,
                ImageLayout.entrySize(1, 0), "FLB entries");
        descriptorCount = count(in.getInt(ROOT_DESCRIPTOR_COUNT), limits.maxDescriptors(), Integer.MAX_VALUE, 1, "descriptors");

        int position = ROOT_SIZE;
        List<ImageSession> sessions = new ArrayList<>(sessionCount);
        for (int i = 0; i < sessionCount; i++) {
            position = readSession(position, end, sessions);
        }
        List<ImageEntry> flbs = new ArrayList<>(flbCount);
        position = readEntries(position, end, flbCount, flbs, "FLB");
        if (position != end) {
            throw corrupt((end - position) + " bytes at offset " + position + " belong to no block");
        }
        return new Image(generation, sessions, flbs, descriptorCount);
    }

    private int readSession(int position, int end, List<ImageSession> sessions) {
        need(position, SESSION_HEADER, end, "session block");
        long declared = Integer.toUnsignedLong(in.getInt(position + SESSION_LENGTH));
        int nameLength = in.getInt(position + SESSION_NAME_LENGTH);
        requireZero(in.getInt(position + SESSION_RESERVED), "a session block's reserved field");
        if (nameLength < 1 || nameLength > MAX_SESSION_NAME_BYTES) {
            throw corrupt("session block at offset " + position + " has a name of " + nameLength + " bytes (allowed: 1.."
                    + MAX_SESSION_NAME_BYTES + ")");
        }
        long blockEnd = position + declared;
        if (declared < sessionBlockSize(nameLength) || blockEnd > end) {
            throw corrupt("session block at offset " + position + " declares " + declared + " bytes, which do not fit");
        }
        String name = text(position + SESSION_HEADER, nameLength, "session name");
        requireZeroBytes(position + SESSION_HEADER + nameLength, position + sessionBlockSize(nameLength), "a session name's padding");
        int fileCount = count(in.getInt(position + SESSION_FILE_COUNT), limits.maxFilesPerSession(),
                blockEnd - position, ImageLayout.entrySize(1, 0), "files in session \"" + name + "\"");
        int filesStart = Math.toIntExact(position + sessionBlockSize(nameLength));
        List<ImageEntry> files = new ArrayList<>(fileCount);
        int next = readEntries(filesStart, (int) blockEnd, fileCount, files, "file");
        if (next != blockEnd) {
            throw corrupt("session \"" + name + "\" declares " + declared + " bytes but its files end at offset " + next);
        }
        sessions.add(new ImageSession(name, files));
        return next;
    }

    private int readEntries(int position, int end, int count, List<ImageEntry> entries, String kind) {
        // the descriptions of what may be wrong, made once and not per entry
        String entry = kind + " entry";
        String reserved = "a " + kind + " entry's reserved field";
        String padding = "a " + kind + " entry's padding";
        for (int i = 0; i < count; i++) {
            need(position, ENTRY_HEADER, end, entry);
            long declared = Integer.toUnsignedLong(in.getInt(position + ENTRY_LENGTH));
            int compatibleLength = in.getInt(position + ENTRY_COMPATIBLE_LENGTH);
            long value = in.getLong(position + ENTRY_VALUE);
            long dataLength = Integer.toUnsignedLong(in.getInt(position + ENTRY_DATA_LENGTH));
            long first = Integer.toUnsignedLong(in.getInt(position + ENTRY_FIRST_DESCRIPTOR));
            long descriptors = Integer.toUnsignedLong(in.getInt(position + ENTRY_DESCRIPTOR_COUNT));
            requireZero(in.getInt(position + ENTRY_RESERVED), reserved);
            if (compatibleLength < 1 || compatibleLength > MAX_COMPATIBLE_BYTES) {
                throw corrupt(kind + " entry at offset " + position + " has a compatible string of " + compatibleLength
                        + " bytes (allowed: 1.." + MAX_COMPATIBLE_BYTES + ")");
            }
            if (dataLength > limits.maxEntryDataBytes()) {
                throw new LiveUpdateException(Errno.E2BIG, kind + " entry at offset " + position + " carries " + dataLength
                        + " bytes of state, over the limit of " + limits.maxEntryDataBytes() + ": raise maxEntryDataBytes if this is expected");
            }
            if (declared != ImageLayout.entrySize(compatibleLength, (int) dataLength) || position + declared > end) {
                throw corrupt(kind + " entry at offset " + position + " declares " + declared + " bytes, which do not match its fields or do not fit");
            }
            if (first + descriptors > descriptorCount) {
                throw corrupt(kind + " entry at offset " + position + " names descriptors " + first + "+" + descriptors
                        + " but the image carries " + descriptorCount);
            }
            int compatibleAt = position + ENTRY_HEADER;
            String compatible = compatible(compatibleAt, compatibleLength);
            byte[] data = new byte[(int) dataLength];
            in.get(compatibleAt + compatibleLength, data);
            requireZeroBytes(compatibleAt + compatibleLength + dataLength, position + declared, padding);
            entries.add(new ImageEntry(compatible, value, data, (int) first, (int) descriptors));
            position += (int) declared;
        }
        return position;
    }

    /** Checks an untrusted count against its limit and against how many could fit in {@code room} bytes. */
    private static int count(int raw, int limit, long room, long minimumSize, String what) {
        long count = Integer.toUnsignedLong(raw);
        if (count > limit) {
            throw new LiveUpdateException(Errno.E2BIG, "the image holds " + count + " " + what + ", over the limit of " + limit
                    + ": raise the limit if this is expected");
        }
        if (count > room / minimumSize) {
            throw corrupt("the image claims " + count + " " + what + " but has room for at most " + room / minimumSize);
        }
        return (int) count;
    }

    private void need(long position, int size, long end, String what) {
        if (position + size > end) {
            throw corrupt("a " + what + " at offset " + position + " runs past the end of its enclosing block (" + end + ")");
        }
    }

    /**
     * The compatible string at {@code offset}. Files of one handler repeat the same few strings
     * thousands of times, so the last one decoded is kept and reused when the bytes match.
     */
    private String compatible(int offset, int length) {
        if (lastCompatible != null && sameBytes(offset, lastCompatibleBytes, length)) {
            return lastCompatible;
        }
        String text = text(offset, length, "compatible string");
        lastCompatibleBytes = new byte[length];
        in.get(offset, lastCompatibleBytes);
        lastCompatible = text;
        return text;
    }

    private boolean sameBytes(int offset, byte[] bytes, int length) {
        if (bytes.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (in.get(offset + i) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    private String text(int offset, int length, String what) {
        try {
            String text = utf8.decode(in.slice(offset, length)).toString();
            if (text.indexOf('\0') >= 0) {
                throw corrupt(what + " at offset " + offset + " contains a NUL byte");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw corrupt(what + " at offset " + offset + " is not valid UTF-8");
        }
    }

    private static String cString(ByteBuffer in, int offset, int field) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < field; i++) {
            byte b = in.get(offset + i);
            if (b == 0) {
                break;
            }
            text.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
        }
        return text.toString();
    }

    /** Padding must be zero, so that an image has exactly one byte form and writes back to itself. */
    private void requireZeroBytes(long from, long to, String what) {
        for (long i = from; i < to; i++) {
            if (in.get((int) i) != 0) {
                throw corrupt(what + " at offset " + i + " is not zero");
            }
        }
    }

    private static void requireZero(long value, String what) {
        if (value != 0) {
            throw corrupt(what + " is not zero");
        }
    }

    private static LiveUpdateException corrupt(String message) {
        return new LiveUpdateException(Errno.EBADMSG, message + ": the image cannot be used; take a new one from the predecessor");
    }
}
