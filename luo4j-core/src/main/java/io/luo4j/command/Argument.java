package io.luo4j.command;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A command's argument in kernel form, copied the way {@code copy_struct_from_user} copies it: the
 * caller's size first, then at most the kernel's struct size, missing bytes read as zero, extra bytes
 * required to be zero (E2BIG otherwise). The reply goes back the same way: no more than the caller's
 * size.
 */
final class Argument {
    private final ByteBuffer caller;
    private final int callerSize;
    final ByteBuffer struct;

    private Argument(ByteBuffer caller, int callerSize, ByteBuffer struct) {
        this.caller = caller;
        this.callerSize = callerSize;
        this.struct = struct;
    }

    /** Reads the leading size field; EFAULT when the caller's buffer cannot hold one. */
    static int sizeOf(ByteBuffer caller) {
        if (caller == null || caller.remaining() < Integer.BYTES) {
            throw new LiveUpdateException(Errno.EFAULT, "the argument buffer is too small to hold its size field");
        }
        return caller.order(ByteOrder.LITTLE_ENDIAN).getInt(caller.position());
    }

    /** Copies the caller's struct into a kernel struct of {@code command.size} bytes. */
    static Argument copyIn(ByteBuffer caller, int callerSize, Command command) {
        if (callerSize > caller.remaining()) {
            throw new LiveUpdateException(Errno.EFAULT, "the argument says it is " + callerSize + " bytes but the buffer holds "
                    + caller.remaining());
        }
        ByteBuffer struct = ByteBuffer.allocate(command.size).order(ByteOrder.LITTLE_ENDIAN);
        int copied = Math.min(callerSize, command.size);
        struct.put(0, caller, caller.position(), copied);
        for (int i = command.size; i < callerSize; i++) {
            if (caller.get(caller.position() + i) != 0) {
                throw new LiveUpdateException(Errno.E2BIG, "byte " + i + " of the argument is not zero, but this luo4j understands only "
                        + command.size + " bytes of it: clear the fields this version does not know");
            }
        }
        return new Argument(caller, callerSize, struct);
    }

    /** Writes the (updated) kernel struct back, no more than the caller's size. */
    void respond() {
        caller.put(caller.position(), struct, 0, Math.min(callerSize, struct.capacity()));
    }
}
