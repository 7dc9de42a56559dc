package io.luo4j.linux.handover;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.ByteCodec;

/**
 * The messages of the handover protocol, one per SEQPACKET message: a type byte and a small body
 * ({@link ByteCodec}).
 *
 * <pre>
 * successor   -> predecessor  HELLO        nonce (32 bytes), pid, service name, identity
 * predecessor -> successor    IMAGE        generation (cross-checked against the image's), image
 *                                          length, descriptor count, and either the image itself (up
 *                                          to 60 KiB) or nothing                         + [image memfd]
 * predecessor -> successor    DESCRIPTORS  batch number, count                           + up to 253 descriptors
 * predecessor -> successor    END          descriptor count
 * successor   -> predecessor  READY        (the application retrieved everything and is ready)
 * successor   -> predecessor  FAIL         errno, message
 * predecessor -> successor    COMMIT       (the successor serves from now on)
 * predecessor -> successor    ABORT        errno, message
 * successor   -> predecessor  ALIVE        (every 100 ms from COMMIT until the predecessor lets go)
 * successor   -> predecessor  FINISHED     (the application finished every incoming session)
 * </pre>
 *
 * After COMMIT the predecessor keeps everything and the connection open through its grace period:
 * it lets go once the successor has said FINISHED and lived the grace period, saying ALIVE all
 * along; if it dies or falls silent first, the predecessor takes the service back. Letting go, it
 * answers luoctl and retires; its close of the connection is the successor's signal to take the
 * control socket over.
 */
record Message(Type type, byte[] bytes) {

    /** Images up to this size travel inside the IMAGE message; larger ones in a sealed memfd. */
    static final int MAX_INLINE_IMAGE = 60 * 1024;

    enum Type { HELLO, IMAGE, DESCRIPTORS, END, READY, FAIL, COMMIT, ABORT, ALIVE, FINISHED }

    private static final Type[] TYPES = Type.values();

    static byte[] encode(Type type, ByteCodec.Writer body) {
        return ByteCodec.encode(type.ordinal(), body, type + " message");
    }

    static byte[] encode(Type type) {
        return encode(type, out -> {});
    }

    static Message decode(byte[] payload) {
        int ordinal = ByteCodec.tag(payload, Errno.EPROTO, "a handover message");
        if (ordinal >= TYPES.length) {
            throw new LiveUpdateException(Errno.EPROTO, "unknown handover message type " + ordinal);
        }
        return new Message(TYPES[ordinal], payload);
    }

    /** Reads the body (the fields after the type byte). */
    <T> T read(ByteCodec.Reader<T> reader) {
        return ByteCodec.decode(bytes, reader, Errno.EPROTO, type + " message");
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
