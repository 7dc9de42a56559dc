package io.luo4j.linux.handover;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The messages of the handover protocol, one per SEQPACKET message: a type byte and a small body.
 *
 * <pre>
 * successor   -> predecessor  HELLO        nonce (32 bytes), pid
 * predecessor -> successor    IMAGE        generation, image length, descriptor count, and either the
 *                                          image itself (up to 60 KiB) or                 + [image memfd]
 * predecessor -> successor    DESCRIPTORS  batch number, count                            + up to 253 descriptors
 * predecessor -> successor    END          descriptor count
 * successor   -> predecessor  READY        (the application retrieved everything and is ready)
 * successor   -> predecessor  FAIL         errno, message
 * predecessor -> successor    COMMIT       generation
 * predecessor -> successor    ABORT        errno, message
 * </pre>
 */
record Message(Type type, byte[] body) {

    /** Images up to this size travel inside the IMAGE message; larger ones in a sealed memfd. */
    static final int MAX_INLINE_IMAGE = 60 * 1024;

    enum Type { HELLO, IMAGE, DESCRIPTORS, END, READY, FAIL, COMMIT, ABORT }

    @FunctionalInterface
    interface BodyWriter {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    interface BodyReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    static byte[] encode(Type type, BodyWriter body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(type.ordinal());
            body.write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] encode(Type type) {
        return encode(type, out -> {});
    }

    static Message decode(byte[] payload) {
        int ordinal = payload[0] & 0xFF;
        if (ordinal >= Type.values().length) {
            throw new LiveUpdateException(Errno.EPROTO, "unknown handover message type " + ordinal);
        }
        byte[] body = new byte[payload.length - 1];
        System.arraycopy(payload, 1, body, 0, body.length);
        return new Message(Type.values()[ordinal], body);
    }

    <T> T read(BodyReader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
            return reader.read(in);
        } catch (IOException e) {
            throw new LiveUpdateException(Errno.EPROTO, "malformed " + type + " message: " + e, e);
        }
    }

    /** The failure a FAIL or ABORT message carries. */
    LiveUpdateException failure(String who) {
        return read(in -> new LiveUpdateException(Errno.orEio(in.readInt()), who + ": " + in.readUTF()));
    }

    static byte[] failure(Type type, LiveUpdateException e) {
        return encode(type, out -> {
            out.writeInt(e.reason().number());
            String detail = e.detail();
            out.writeUTF(detail.length() > 4000 ? detail.substring(0, 4000) : detail);
        });
    }
}
