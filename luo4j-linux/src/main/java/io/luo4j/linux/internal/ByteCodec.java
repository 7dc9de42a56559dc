package io.luo4j.linux.internal;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The one byte format luo4j's small records use: a leading tag byte (a state's version, a
 * message's type), then fields written with {@link DataOutputStream} (big-endian, modified UTF-8
 * strings). The built-in handlers' serialized state and the handover messages are both written
 * and read here, so the two cannot drift apart in how they fail.
 *
 * <p>Writing fails only when a field cannot be written (a string over 65,535 bytes): EIO naming
 * what was written. Reading never trusts its input: a short or malformed body is the caller's
 * {@code malformed} errno (EBADMSG for state, EPROTO for protocol messages), never an unchecked
 * exception.
 */
public final class ByteCodec {
    private ByteCodec() {}

    /** Writes the fields of one record. */
    @FunctionalInterface
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads the fields of one record. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /**
     * {@code tag}, then what {@code body} writes.
     *
     * @throws LiveUpdateException EIO when a field cannot be written
     */
    public static byte[] encode(int tag, Writer body, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(tag);
            body.write(out);
        } catch (IOException e) {
            throw new LiveUpdateException(Errno.EIO, "cannot encode " + what + ": " + e, e);
        }
        return bytes.toByteArray();
    }

    /** The tag byte of an encoded record; {@code malformed} when there is none. */
    public static int tag(byte[] bytes, Errno malformed, String what) {
        if (bytes.length == 0) {
            throw new LiveUpdateException(malformed, what + " is empty");
        }
        return bytes[0] & 0xFF;
    }

    /**
     * Reads the fields after the tag byte with {@code body}.
     *
     * @throws LiveUpdateException {@code malformed} when the bytes end early or do not parse
     */
    public static <T> T decode(byte[] bytes, Reader<T> body, Errno malformed, String what) {
        tag(bytes, malformed, what);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
            return body.read(in);
        } catch (IOException e) {
            throw new LiveUpdateException(malformed, what + " is truncated or malformed: " + e, e);
        }
    }
}
