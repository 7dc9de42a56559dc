package io.luo4j.kv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One client's buffered input: the bytes of a command that has not fully arrived (a half-sent
 * command), kept between reads. A client with no partial command holds no buffer at all (the
 * server reads into one shared buffer and runs the complete commands from there), so idle
 * connections cost no heap; the buffer grows as a big command arrives and shrinks or goes once
 * the command has run.
 *
 * <p>Every byte of capacity is counted in the server's {@link Budget}, across all clients: the
 * server decides whether a buffer may grow ({@link KvServer} refuses or closes the greediest
 * client past the budget); this class only keeps the count exact.
 *
 * <p>The buffer is in read mode: the pending bytes are between its position and its limit, the
 * room for more after the limit. The pending bytes start with the partial command's first byte
 * (the client's {@link io.luo4j.kv.resp.RespParser} keeps its progress relative to it), so they
 * may move (compaction, a bigger buffer) but never be cut.
 */
final class ClientInput {
    private static final ByteBuffer NONE = ByteBuffer.allocate(0);

    /**
     * What all clients' input buffers may hold together, and what they hold. One per server; the
     * event loop's thread alone touches it.
     */
    static final class Budget {
        private final long limit;
        private long used;
        private long evictions;

        Budget(long limit) {
            this.limit = limit;
        }

        /** The most bytes of input buffer all clients together may hold. */
        long limit() {
            return limit;
        }

        /** The bytes of input buffer all clients hold now. */
        long used() {
            return used;
        }

        /** Whether {@code more} bytes fit under the limit. */
        boolean fits(long more) {
            return used + more <= limit;
        }

        /** Clients closed so far because their input did not fit. */
        long evictions() {
            return evictions;
        }

        void evicted() {
            evictions++;
        }
    }

    private final Budget budget;
    private ByteBuffer buffer = NONE;

    ClientInput(Budget budget) {
        this.budget = budget;
    }

    boolean isEmpty() {
        return !buffer.hasRemaining();
    }

    /** Bytes of buffer held (what the budget counts), pending or not. */
    int capacity() {
        return buffer.capacity();
    }

    /** The pending bytes, in read mode: whoever consumes them advances the position. */
    ByteBuffer pending() {
        return buffer;
    }

    /** Whether there is no room after the pending bytes. */
    boolean isFull() {
        return buffer.limit() == buffer.capacity();
    }

    /** Moves the pending bytes to the buffer's start; false when they are there already (no room gained). */
    boolean compact() {
        if (buffer.position() == 0) {
            return false;
        }
        buffer.compact().flip();
        return true;
    }

    /** A buffer of {@code capacity} bytes (at least the pending ones) holding the pending bytes. */
    void resize(int capacity) {
        if (capacity == buffer.capacity()) {
            return;
        }
        ByteBuffer resized = ByteBuffer.allocate(capacity);
        resized.put(buffer).flip();
        budget.used += capacity - buffer.capacity();
        buffer = resized;
    }

    /** Appends {@code bytes} after the pending ones; the caller made room ({@link #resize}). */
    void append(ByteBuffer bytes) {
        if (bytes.remaining() > buffer.capacity() - buffer.limit()) {
            compact();
        }
        int position = buffer.position();
        buffer.position(buffer.limit()).limit(buffer.capacity());
        buffer.put(bytes);
        buffer.limit(buffer.position()).position(position);
    }

    /** Room for {@code bytes} more after compaction. */
    boolean hasRoomFor(int bytes) {
        return buffer.capacity() - buffer.remaining() >= bytes;
    }

    /** Reads at most {@code most} bytes from {@code channel} after the pending ones: the count, or -1 at end of stream. */
    int readFrom(SocketChannel channel, int most) throws IOException {
        int position = buffer.position();
        int end = buffer.limit();
        buffer.position(end).limit((int) Math.min(buffer.capacity(), (long) end + most));
        try {
            return channel.read(buffer);
        } finally {
            buffer.limit(buffer.position()).position(position);
        }
    }

    /**
     * After commands ran: drops the buffer when nothing is pending, or trades it for a smaller one
     * when the pending bytes use less than a quarter of it (a big command ran and the start of a
     * small one is left).
     */
    void settle(int smallest) {
        if (!buffer.hasRemaining()) {
            release();
        } else if (buffer.capacity() > smallest && buffer.remaining() < buffer.capacity() / 4) {
            resize(Math.max(smallest, buffer.remaining() * 2));
        }
    }

    /** Drops the buffer and whatever it holds (the client is gone). */
    void release() {
        budget.used -= buffer.capacity();
        buffer = NONE;
    }
}
