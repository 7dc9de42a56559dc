package io.luo4j.image;

import static io.luo4j.image.ImageLayout.*;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes an {@link Image} in the v1 byte layout (docs/image-format.md).
 *
 * <p>The size is computed exactly first, so the image is written in one pass into one buffer,
 * either a new heap buffer or one the caller provides (such as a memfd mapping).
 */
public final class ImageWriter {
    private final Image image;
    private final Map<String, byte[]> utf8 = new HashMap<>();
    private final int[] sessionSizes;
    private final long size;

    private ImageWriter(Image image) {
        this.image = image;
        this.sessionSizes = new int[image.sessions().size()];
        this.size = measure();
    }

    /** The exact size of {@code image} in bytes. */
    public static long size(Image image) {
        return new ImageWriter(image).size;
    }

    /**
     * Writes {@code image} to a new little-endian heap buffer, positioned at 0 and limited to the
     * image.
     *
     * @throws LiveUpdateException E2BIG if the image does not fit one buffer, EINVAL if a name,
     *         compatible string (empty, too long, or with no exact UTF-8 form) or descriptor range is
     *         invalid
     */
    public static ByteBuffer write(Image image) {
        return write(image, ImageLimits.HARD_MAX_IMAGE_BYTES);
    }

    /**
     * Writes {@code image} to a new heap buffer like {@link #write(Image)}, refusing with E2BIG an
     * image larger than {@code maxBytes}.
     */
    public static ByteBuffer write(Image image, long maxBytes) {
        ImageWriter writer = new ImageWriter(image);
        if (writer.size > maxBytes) {
            throw new LiveUpdateException(Errno.E2BIG, "the image would be " + writer.size + " bytes, over the limit of "
                    + maxBytes + ": keep bulk state in memfds rather than serialized data, or raise Limits.maxImageBytes");
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(writer.size));
        writer.writeTo(out);
        return out.flip();
    }

    /**
     * Writes {@code image} into {@code target} at its position and advances the position past it.
     *
     * @throws LiveUpdateException ENOSPC if {@code target} has too little room, plus the errors of
     *         {@link #write(Image)}
     */
    public static void write(Image image, ByteBuffer target) {
        ImageWriter writer = new ImageWriter(image);
        if (target.remaining() < writer.size) {
            throw new LiveUpdateException(Errno.ENOSPC, "the image needs " + writer.size + " bytes but the target buffer has "
                    + target.remaining() + ": give it a larger buffer (ImageWriter.size tells how large)");
        }
        writer.writeTo(target);
    }

    private long measure() {
        long total = ROOT_SIZE + TRAILER_SIZE;
        for (int i = 0; i < sessionSizes.length; i++) {
            long sessionSize = sessionSize(image.sessions().get(i));
            sessionSizes[i] = (int) Math.min(sessionSize, Integer.MAX_VALUE);
            total += sessionSize;
        }
        for (ImageEntry flb : image.flbs()) {
            total += entrySize(flb);
        }
        if (total > ImageLimits.HARD_MAX_IMAGE_BYTES) {
            throw new LiveUpdateException(Errno.E2BIG, "the image would be " + total + " bytes, more than one buffer holds ("
                    + ImageLimits.HARD_MAX_IMAGE_BYTES + "): keep less state in serialized data and more in memfds");
        }
        return total;
    }

    private long sessionSize(ImageSession session) {
        byte[] name = encode(session.name(), MAX_SESSION_NAME_BYTES, "session name");
        long total = sessionBlockSize(name.length);
        for (ImageEntry file : session.files()) {
            total += entrySize(file);
        }
        return total;
    }

    private long entrySize(ImageEntry entry) {
        byte[] compatible = encode(entry.compatible(), MAX_COMPATIBLE_BYTES, "compatible string");
        long end = (long) entry.firstDescriptor() + entry.descriptorCount();
        if (end > image.descriptorCount()) {
            throw new LiveUpdateException(Errno.EINVAL, "entry " + entry.compatible() + " names descriptors "
                    + entry.firstDescriptor() + ".." + (end - 1) + " but the image carries only " + image.descriptorCount());
        }
        return ImageLayout.entrySize(compatible.length, entry.data().length);
    }

    private byte[] encode(String text, int maxBytes, String what) {
        byte[] bytes = utf8.computeIfAbsent(text, t -> exactUtf8(t, what));
        if (bytes.length == 0 || bytes.length > maxBytes) {
            throw new LiveUpdateException(Errno.EINVAL, what + " \"" + text + "\" is " + bytes.length
                    + " bytes; an image holds 1.." + maxBytes);
        }
        return bytes;
    }

    /** {@code text} as UTF-8; EINVAL if it has no exact form (an unpaired surrogate would be written as '?'). */
    private static byte[] exactUtf8(String text, String what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new LiveUpdateException(Errno.EINVAL, what + " has an unpaired UTF-16 surrogate at index " + i
                        + ": it has no UTF-8 form, and two such names would be written alike");
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void writeTo(ByteBuffer target) {
        ByteBuffer out = target.slice().order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC);
        byte[] compatible = COMPATIBLE.getBytes(StandardCharsets.US_ASCII);
        out.put(compatible).put(new byte[COMPATIBLE_FIELD - compatible.length]);
        out.putLong(size)
                .putLong(image.generation())
                .putInt(image.sessions().size())
                .putInt(image.flbs().size())
                .putInt(image.descriptorCount())
                .putInt(0) // flags
                .putLong(0); // reserved
        for (int i = 0; i < sessionSizes.length; i++) {
            writeSession(out, image.sessions().get(i), sessionSizes[i]);
        }
        writeEntries(out, image.flbs());
        CRC32C crc = new CRC32C();
        crc.update(out.duplicate().flip());
        out.putInt((int) crc.getValue()).putInt(END_MARK);
        target.position(target.position() + out.position());
    }

    private void writeSession(ByteBuffer out, ImageSession session, int sessionSize) {
        byte[] name = utf8.get(session.name());
        out.putInt(sessionSize)
                .putInt(session.files().size())
                .putInt(name.length)
                .putInt(0);
        putPadded(out, name, null);
        writeEntries(out, session.files());
    }

    private void writeEntries(ByteBuffer out, List<ImageEntry> entries) {
        for (ImageEntry entry : entries) {
            byte[] compatible = utf8.get(entry.compatible());
            out.putInt(Math.toIntExact(ImageLayout.entrySize(compatible.length, entry.data().length)))
                    .putInt(compatible.length)
                    .putLong(entry.value())
                    .putInt(entry.data().length)
                    .putInt(entry.firstDescriptor())
                    .putInt(entry.descriptorCount())
                    .putInt(0);
            putPadded(out, compatible, entry.data());
        }
    }

    private static void putPadded(ByteBuffer out, byte[] first, byte[] second) {
        int length = first.length;
        out.put(first);
        if (second != null) {
            out.put(second);
            length += second.length;
        }
        for (long pad = align8(length) - length; pad > 0; pad--) {
            out.put((byte) 0);
        }
    }
}
