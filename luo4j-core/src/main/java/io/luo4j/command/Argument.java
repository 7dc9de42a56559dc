package io.luo4j.command;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A command's argument in kernel form, copied the way {@code copy_struct_from_user} copies it. The
 * caller's buffer is its memory: the bytes from its position to its limit can be read, nothing
 * beyond. The caller's size is a u32 (2^31 and more are sizes too, never negative).
 *
 * <ol>
 *   <li>If the caller's size exceeds the kernel's struct, the bytes between are scanned first, in
 *       order: a non-zero byte is E2BIG, running off the buffer before one is found is EFAULT.</li>
 *   <li>Then the struct is copied, at most the kernel's size (EFAULT if the buffer is shorter than
 *       the caller's size); missing bytes read as zero.</li>
 * </ol>
 * The reply goes back the same way: no more than the caller's size. A read-only buffer cannot take
 * it: {@link #requireWritable()} says so before the command runs (the kernel finds out only after,
 * when its copy back fails).
 */
final class Argument {
    private final ByteBuffer caller;
    private final long callerSize;
    private final int replySize;
    final ByteBuffer struct;

    private Argument(ByteBuffer caller, long callerSize, int replySize, ByteBuffer struct) {
        this.caller = caller;
        this.callerSize = callerSize;
        this.replySize = replySize;
        this.struct = struct;
    }

    /** Reads the leading size field, a u32 in an int; EFAULT when the caller's buffer cannot hold one. */
    static int sizeOf(ByteBuffer caller) {
        if (caller == null || caller.remaining() < Integer.BYTES) {
            throw new LiveUpdateException(Errno.EFAULT, "the argument buffer is too small to hold its size field");
        }
        return caller.order(ByteOrder.LITTLE_ENDIAN).getInt(caller.position());
    }

    /**
     * Copies the caller's struct of {@code size} (a u32) bytes into a kernel struct of
     * {@code command.size} bytes, with room for the reply.
     */
    static Argument copyIn(ByteBuffer caller, int size, Command command) {
        long callerSize = Integer.toUnsignedLong(size);
        int readable = caller.remaining();
        int start = caller.position();
        long scanEnd = Math.min(callerSize, readable);
        for (long i = command.size; i < scanEnd; i++) {
            if (caller.get(start + (int) i) != 0) {
                throw new LiveUpdateException(Errno.E2BIG, "byte " + i + " of the argument is not zero, but this luo4j understands only "
                        + command.size + " bytes of it: clear the fields this version does not know");
            }
        }
        if (callerSize > readable) {
            throw new LiveUpdateException(Errno.EFAULT, "the argument says it is " + callerSize + " bytes but the buffer holds "
                    + readable);
        }
        ByteBuffer struct = ByteBuffer.allocate(Math.max(command.size, command.replySize)).order(ByteOrder.LITTLE_ENDIAN);
        struct.put(0, caller, start, (int) Math.min(callerSize, command.size));
        return new Argument(caller, callerSize, command.replySize, struct);
    }

    /** EFAULT if the reply cannot be written back: call it last before the command runs. */
    void requireWritable() {
        if (caller.isReadOnly()) {
            throw new LiveUpdateException(Errno.EFAULT, "the argument buffer is read-only, so the reply could not be written back:"
                    + " nothing was done; pass a writable buffer");
        }
    }

    /** Writes the (updated) kernel struct back, no more than the caller's size. */
    void respond() {
        caller.put(caller.position(), struct, 0, (int) Math.min(callerSize, replySize));
    }
}
