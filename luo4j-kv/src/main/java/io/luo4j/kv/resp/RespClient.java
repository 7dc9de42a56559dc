package io.luo4j.kv.resp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small blocking RESP client: the demo's load generator, the tests' and benchmarks' client.
 * Commands can be pipelined: {@link #send} any number, then {@link #read} each reply. Replies are
 * Java values: String (simple), Long (integer), byte[] (bulk) or null, List (array), or
 * {@link Error} for an error reply.
 */
public final class RespClient implements AutoCloseable {
    /** An error reply. */
    public record Error(String message) {}

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RespClient(String host, int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Sends one command (not flushed until {@link #flush} or {@link #call}). */
    public void send(Object... arguments) throws IOException {
        out.write(('*' + Integer.toString(arguments.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (Object argument : arguments) {
            byte[] bytes = argument instanceof byte[] raw ? raw : String.valueOf(argument).getBytes(StandardCharsets.UTF_8);
            out.write(('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write('\r');
            out.write('\n');
        }
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Sends one command and reads its reply. */
    public Object call(Object... arguments) throws IOException {
        send(arguments);
        flush();
        return read();
    }

    /** Reads the next reply. */
    public Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("the server closed the connection");
        }
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> new Error(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] value = in.readNBytes(length);
                if (value.length != length || in.read() != '\r' || in.read() != '\n') {
                    throw new IOException("truncated bulk reply");
                }
                yield value;
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                yield items;
            }
            default -> throw new IOException("unexpected reply type '" + (char) type + "'");
        };
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the server closed the connection mid-reply");
            }
            if (c == '\r') {
                if (in.read() != '\n') {
                    throw new IOException("reply line not ended by CRLF");
                }
                return line.toString();
            }
            line.append((char) c);
        }
    }

    /** A bulk reply as text, or null. */
    public static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : reply == null ? null : reply.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
