package io.luo4j.kv.resp;

import io.luo4j.kv.store.KvError;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads one client's commands in RESP: arrays of bulk strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}),
 * or inline ({@code PING\r\n}). Malformed input is a {@link KvError} ("ERR Protocol error: ...")
 * after which the connection is closed, as Redis does.
 *
 * <p>A command that has not fully arrived leaves the buffer's position where it is (the bytes stay
 * with the connection: a half-read command travels to a successor as they are), and the parser
 * remembers how far it got: the next call resumes there, so a command that arrives in many pieces
 * costs work in proportion to its length, not to its length times the number of pieces (a
 * 1,000,000-argument command in pieces, parsed from its start on every read, cost 11 s of CPU).
 * Each byte is examined once, and each argument's bytes once more when the command is complete and
 * they are copied out ({@link #bytesExamined()} counts them, for the test that keeps it so).
 *
 * <p>One parser per connection. Between a call that returned null and the next, the bytes from the
 * buffer's position on must stay as they were; more may follow them, and they may move (a compacted
 * or a bigger buffer): the progress is kept relative to the command's first byte. A buffer that no
 * longer holds the partial command needs {@link #reset()}.
 */
public final class RespParser {
    /** Largest bulk string accepted: the store's largest block. */
    public static final int MAX_BULK = 32 << 20;
    private static final int MAX_ARGUMENTS = 1 << 20;
    private static final int MAX_INLINE = 64 << 10;

    /** Where the parser is in the current command. */
    private enum Step {
        /** Before the command's first byte. */
        START,
        /** In an inline command, looking for its newline. */
        INLINE,
        /** In the array's count ({@code *N\r\n}). */
        COUNT,
        /** Before an argument's {@code $}. */
        BULK,
        /** In an argument's length ({@code $N\r\n}). */
        LENGTH,
        /** In an argument's bytes and their CRLF. */
        DATA,
    }

    private Step step = Step.START;
    /** The next byte to examine, from the command's first byte. */
    private int scan;
    /** The number being read (COUNT, LENGTH): its value so far, whether it has digits, whether its CR was seen. */
    private long number;
    private boolean digits;
    private boolean sawCr;
    /** The array's argument count, and each complete argument's offset and length from the command's first byte. */
    private int count;
    private int arguments;
    private int[] offsets = new int[8];
    private int[] lengths = new int[8];
    private long examined;

    public RespParser() {}

    /**
     * The next command in {@code in}, its position advanced past it; or null when it is incomplete,
     * the position unchanged and the progress kept for the next call.
     *
     * @throws KvError on malformed input ("ERR Protocol error: ...")
     */
    public List<byte[]> next(ByteBuffer in) {
        int base = in.position();
        int available = in.limit() - base;
        if (step == Step.START) {
            if (available == 0) {
                return null;
            }
            examined++;
            if (in.get(base) == '*') {
                step = Step.COUNT;
                scan = 1;
                startNumber();
            } else {
                step = Step.INLINE;
                scan = 0;
            }
        }
        List<byte[]> command = step == Step.INLINE ? inline(in, base, available) : array(in, base, available);
        if (command != null) {
            in.position(base + scan);
            reset();
        }
        return command;
    }

    /** Forgets a partial command: the next call starts a new one at the buffer's position. */
    public void reset() {
        step = Step.START;
        scan = 0;
        count = 0;
        arguments = 0;
        if (offsets.length > 1024) {
            offsets = new int[8];
            lengths = new int[8];
        }
    }

    /**
     * Bytes examined since this parser was made: each byte of the input once, each argument's bytes
     * once more as they are copied out. What a command costs, counted rather than timed.
     */
    public long bytesExamined() {
        return examined;
    }

    private List<byte[]> array(ByteBuffer in, int base, int available) {
        while (true) {
            switch (step) {
                case COUNT -> {
                    if (!number(in, base, available, MAX_ARGUMENTS, "multibulk length")) {
                        return null;
                    }
                    count = (int) number;
                    arguments = 0;
                    step = Step.BULK;
                }
                case BULK -> {
                    if (arguments == count) {
                        return command(in, base);
                    }
                    if (scan >= available) {
                        return null;
                    }
                    examined++;
                    byte b = in.get(base + scan);
                    if (b != '$') {
                        throw new KvError("ERR Protocol error: expected '$', got '" + (char) b + "'");
                    }
                    scan++;
                    startNumber();
                    step = Step.LENGTH;
                }
                case LENGTH -> {
                    if (!number(in, base, available, MAX_BULK, "bulk length")) {
                        return null;
                    }
                    step = Step.DATA;
                }
                case DATA -> {
                    int length = (int) number;
                    if ((long) available - scan < length + 2L) {
                        return null; // the data's bytes are examined once, when the command is copied out
                    }
                    examined += 2;
                    if (in.get(base + scan + length) != '\r' || in.get(base + scan + length + 1) != '\n') {
                        throw new KvError("ERR Protocol error: bulk string not followed by CRLF");
                    }
                    if (arguments == offsets.length) {
                        int grown = Math.min(count, Math.max(16, arguments * 2));
                        offsets = Arrays.copyOf(offsets, grown);
                        lengths = Arrays.copyOf(lengths, grown);
                    }
                    offsets[arguments] = scan;
                    lengths[arguments] = length;
                    arguments++;
                    scan += length + 2;
                    step = Step.BULK;
                }
                default -> throw new IllegalStateException(step.toString());
            }
        }
    }

    private List<byte[]> command(ByteBuffer in, int base) {
        List<byte[]> command = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] argument = new byte[lengths[i]];
            in.get(base + offsets[i], argument);
            examined += argument.length;
            command.add(argument);
        }
        return command;
    }

    private void startNumber() {
        number = 0;
        digits = false;
        sawCr = false;
    }

    /** Reads on in a decimal number ended by CRLF, from {@link #scan}; false when it has not all arrived. */
    private boolean number(ByteBuffer in, int base, int available, long max, String what) {
        while (scan < available) {
            examined++;
            byte b = in.get(base + scan++);
            if (sawCr) {
                if (b != '\n' || !digits) {
                    throw new KvError("ERR Protocol error: invalid " + what);
                }
                return true;
            }
            if (b == '\r') {
                sawCr = true;
                continue;
            }
            if (b < '0' || b > '9') {
                throw new KvError("ERR Protocol error: invalid " + what);
            }
            number = number * 10 + (b - '0');
            digits = true;
            if (number > max) {
                throw new KvError("ERR Protocol error: invalid " + what + " (over " + max + ")");
            }
        }
        return false;
    }

    private List<byte[]> inline(ByteBuffer in, int base, int available) {
        for (; scan < available; scan++) {
            examined++;
            if (in.get(base + scan) == '\n') {
                int newline = scan++;
                int end = newline > 0 && in.get(base + newline - 1) == '\r' ? newline - 1 : newline;
                List<byte[]> arguments = new ArrayList<>();
                int word = -1;
                for (int j = 0; j <= end; j++) {
                    boolean space = j == end || in.get(base + j) == ' ' || in.get(base + j) == '\t';
                    if (space && word >= 0) {
                        byte[] argument = new byte[j - word];
                        in.get(base + word, argument);
                        arguments.add(argument);
                        word = -1;
                    } else if (!space && word < 0) {
                        word = j;
                    }
                }
                examined += end;
                return arguments;
            }
        }
        if (available > MAX_INLINE) {
            throw new KvError("ERR Protocol error: too big inline request");
        }
        return null;
    }
}
