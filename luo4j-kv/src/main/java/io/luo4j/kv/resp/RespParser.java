package io.luo4j.kv.resp;

import io.luo4j.kv.store.KvError;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads client commands in RESP: arrays of bulk strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}), or
 * inline ({@code PING\r\n}). A command that has not fully arrived leaves the buffer untouched (it
 * waits for more bytes); malformed input is a {@link KvError} ("ERR Protocol error: ...") after
 * which the connection is closed, as Redis does.
 */
public final class RespParser {
    /** Largest bulk string accepted: the store's largest block. */
    public static final int MAX_BULK = 32 << 20;
    private static final int MAX_ARGUMENTS = 1 << 20;
    private static final int MAX_INLINE = 64 << 10;

    private RespParser() {}

    /** The next command in {@code in} (position advanced past it), or null when it is incomplete. */
    public static List<byte[]> next(ByteBuffer in) {
        int start = in.position();
        if (!in.hasRemaining()) {
            return null;
        }
        List<byte[]> command = in.get(start) == '*' ? array(in) : inline(in);
        if (command == null) {
            in.position(start);
        }
        return command;
    }

    private static List<byte[]> array(ByteBuffer in) {
        in.get(); // '*'
        long count = number(in, MAX_ARGUMENTS, "multibulk length");
        if (count == Long.MIN_VALUE) {
            return null;
        }
        List<byte[]> arguments = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) {
            if (!in.hasRemaining()) {
                return null;
            }
            if (in.get() != '$') {
                throw new KvError("ERR Protocol error: expected '$', got '" + (char) in.get(in.position() - 1) + "'");
            }
            long length = number(in, MAX_BULK, "bulk length");
            if (length == Long.MIN_VALUE || in.remaining() < length + 2) {
                return null;
            }
            byte[] argument = new byte[(int) length];
            in.get(argument);
            if (in.get() != '\r' || in.get() != '\n') {
                throw new KvError("ERR Protocol error: bulk string not followed by CRLF");
            }
            arguments.add(argument);
        }
        return arguments;
    }

    /** A decimal number ended by CRLF; Long.MIN_VALUE when the line is incomplete. */
    private static long number(ByteBuffer in, long max, String what) {
        long value = 0;
        boolean digits = false;
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\r') {
                if (!in.hasRemaining()) {
                    return Long.MIN_VALUE;
                }
                if (in.get() != '\n' || !digits) {
                    throw new KvError("ERR Protocol error: invalid " + what);
                }
                return value;
            }
            if (b < '0' || b > '9') {
                throw new KvError("ERR Protocol error: invalid " + what);
            }
            value = value * 10 + (b - '0');
            digits = true;
            if (value > max) {
                throw new KvError("ERR Protocol error: invalid " + what + " (over " + max + ")");
            }
        }
        return Long.MIN_VALUE;
    }

    private static List<byte[]> inline(ByteBuffer in) {
        int start = in.position();
        for (int i = start; i < in.limit(); i++) {
            if (in.get(i) == '\n') {
                int end = i > start && in.get(i - 1) == '\r' ? i - 1 : i;
                List<byte[]> arguments = new ArrayList<>();
                int word = -1;
                for (int j = start; j <= end; j++) {
                    boolean space = j == end || in.get(j) == ' ' || in.get(j) == '\t';
                    if (space && word >= 0) {
                        byte[] argument = new byte[j - word];
                        in.get(word, argument);
                        arguments.add(argument);
                        word = -1;
                    } else if (!space && word < 0) {
                        word = j;
                    }
                }
                in.position(i + 1);
                return arguments;
            }
        }
        if (in.limit() - start > MAX_INLINE) {
            throw new KvError("ERR Protocol error: too big inline request");
        }
        return null;
    }
}
