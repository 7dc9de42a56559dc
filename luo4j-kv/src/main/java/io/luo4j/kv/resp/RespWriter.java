package io.luo4j.kv.resp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Replies in RESP, appended to a growing output buffer that the server drains to the socket.
 * The buffer is in "write mode": data between 0 and position.
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private ByteBuffer out;

    public RespWriter(int initialCapacity) {
        this.out = ByteBuffer.allocate(initialCapacity);
    }

    /** The pending bytes, in write mode (0..position). */
    public ByteBuffer buffer() {
        return out;
    }

    public boolean isEmpty() {
        return out.position() == 0;
    }

    public RespWriter simple(String text) {
        return raw('+').text(text).crlf();
    }

    public RespWriter error(String text) {
        return raw('-').text(text.replace('\r', ' ').replace('\n', ' ')).crlf();
    }

    public RespWriter integer(long value) {
        return raw(':').text(Long.toString(value)).crlf();
    }

    /** A bulk string, or the null bulk string for null. */
    public RespWriter bulk(byte[] value) {
        if (value == null) {
            return raw('$').text("-1").crlf();
        }
        raw('$').text(Integer.toString(value.length)).crlf();
        ensure(value.length + 2);
        out.put(value).put(CRLF);
        return this;
    }

    public RespWriter bulk(String value) {
        return bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    public RespWriter arrayHeader(int count) {
        return raw('*').text(Integer.toString(count)).crlf();
    }

    public RespWriter nullArray() {
        return raw('*').text("-1").crlf();
    }

    /** Appends bytes produced elsewhere (a predecessor's unwritten replies). */
    public RespWriter append(ByteBuffer bytes) {
        ensure(bytes.remaining());
        out.put(bytes);
        return this;
    }

    private RespWriter raw(char c) {
        ensure(1);
        out.put((byte) c);
        return this;
    }

    private RespWriter text(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            out.put((byte) s.charAt(i));
        }
        return this;
    }

    private RespWriter crlf() {
        ensure(2);
        out.put(CRLF);
        return this;
    }

    private void ensure(int more) {
        if (out.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + more));
            out.flip();
            bigger.put(out);
            out = bigger;
        }
    }
}
