package io.luo4j.command;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The command numbers and argument structs of the uAPI, and builders for callers.
 *
 * <p>Numbers are the kernel's: {@code _IO(0xBA, nr)}, i.e. {@code 0xBA00 | nr}. Every struct starts
 * with a little-endian u32 {@code size}, the size the caller believes the struct has.
 *
 * <table>
 *   <caption>Structs</caption>
 *   <tr><th>command</th><th>on</th><th>layout</th></tr>
 *   <tr><td>CREATE_SESSION, RETRIEVE_SESSION</td><td>device</td><td>u32 size, s32 fd (out), u8 name[64] — 72 bytes</td></tr>
 *   <tr><td>PRESERVE_FD</td><td>outgoing session</td><td>u32 size, s32 fd (in), u64 token — 16 bytes</td></tr>
 *   <tr><td>RETRIEVE_FD</td><td>incoming session</td><td>u32 size, s32 fd (out), u64 token — 16 bytes</td></tr>
 *   <tr><td>FINISH</td><td>incoming session</td><td>u32 size, u32 reserved — 8 bytes</td></tr>
 *   <tr><td>GET_NAME</td><td>any session</td><td>u32 size, u32 reserved (must be 0), u8 name[64] (out) — 72 bytes;
 *       decoded as the seed's table does: 16 bytes copied in (minimum 16; bytes 16.. of the argument
 *       must be zero), the reply is the 72-byte struct cut to the caller's size</td></tr>
 * </table>
 *
 * <p>The size is a u32: a size of 2^31 or more is a size like any other (and, since no Java buffer
 * holds that many bytes, ends in EFAULT, or E2BIG if a non-zero byte comes first).
 */
public final class Commands {
    private Commands() {}

    /** The ioctl type byte of every command. */
    public static final int TYPE = 0xBA;
    /** First command number of the device's table. */
    public static final int DEVICE_BASE = 0x00;
    /** First command number of a session's table. */
    public static final int SESSION_BASE = 0x40;

    public static final int CREATE_SESSION = code(0x00);
    public static final int RETRIEVE_SESSION = code(0x01);
    public static final int PRESERVE_FD = code(0x40);
    public static final int RETRIEVE_FD = code(0x41);
    public static final int FINISH = code(0x42);
    public static final int GET_NAME = code(0x43);

    /** Size of the name field of CREATE_SESSION, RETRIEVE_SESSION and GET_NAME (63 bytes and a NUL). */
    public static final int NAME_FIELD = 64;

    /** The full command code for number {@code nr}. */
    public static int code(int nr) {
        return (TYPE << 8) | nr;
    }

    /**
     * A CREATE_SESSION argument for {@code name}.
     *
     * @throws LiveUpdateException EINVAL if {@code name} has no exact UTF-8 form (an unpaired
     *         surrogate), rather than send it with a '?' in its place
     */
    public static ByteBuffer createSession(String name) {
        return nameStruct(name);
    }

    /** A RETRIEVE_SESSION argument for {@code name}; EINVAL as {@link #createSession}. */
    public static ByteBuffer retrieveSession(String name) {
        return nameStruct(name);
    }

    /** A PRESERVE_FD argument. */
    public static ByteBuffer preserveFd(int fd, long token) {
        return allocate(16).putInt(16).putInt(fd).putLong(token).flip();
    }

    /** A RETRIEVE_FD argument. */
    public static ByteBuffer retrieveFd(long token) {
        return allocate(16).putInt(16).putInt(-1).putLong(token).flip();
    }

    /** A FINISH argument. */
    public static ByteBuffer finish() {
        return allocate(8).putInt(8).putInt(0).flip();
    }

    /** A GET_NAME argument. */
    public static ByteBuffer getName() {
        return allocate(72).putInt(72).putInt(0).clear();
    }

    /** The {@code fd} field (offset 4) of a reply. */
    public static int fd(ByteBuffer reply) {
        return reply.order(ByteOrder.LITTLE_ENDIAN).getInt(reply.position() + 4);
    }

    /** The {@code name} field (offset 8) of a GET_NAME or session struct, up to its first NUL. */
    public static String name(ByteBuffer reply) {
        int start = reply.position() + 8;
        int end = start;
        while (end < start + NAME_FIELD && end < reply.limit() && reply.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        reply.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ByteBuffer nameStruct(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (!name.equals(new String(bytes, StandardCharsets.UTF_8))) {
            throw new LiveUpdateException(Errno.EINVAL, "session name has an unpaired UTF-16 surrogate:"
                    + " it has no UTF-8 form; use complete characters only");
        }
        ByteBuffer struct = allocate(72).putInt(72).putInt(-1);
        struct.put(bytes, 0, Math.min(bytes.length, NAME_FIELD));
        return struct.clear();
    }

    private static ByteBuffer allocate(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
