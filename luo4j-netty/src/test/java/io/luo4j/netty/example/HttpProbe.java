package io.luo4j.netty.example;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A keep-alive HTTP/1.1 connection the tests hold open across upgrades, byte by byte under their
 * control: {@link #sendHead} and {@link #sendBody} may be split by an upgrade; {@link #readResponse}
 * reads one response (status line, headers, Content-Length body). Fails on a closed connection.
 */
final class HttpProbe implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    HttpProbe(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void sendHead(String method, String path, int contentLength) throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + (contentLength >= 0 ? "Content-Length: " + contentLength + "\r\n" : "") + "\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    void sendBody(String body) throws IOException {
        out.write(body.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The body of one response; fails unless its status is 200. */
    String readResponse() throws IOException {
        String head = readHead();
        if (!head.startsWith("HTTP/1.1 200")) {
            throw new IOException("not 200: " + head);
        }
        int length = -1;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("the connection closed in a body: " + head);
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed; read so far: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** GET /_counters: "connections" and every path's count. */
    Map<String, Long> counters() throws IOException {
        sendHead("GET", CounterHandler.COUNTERS_PATH, -1);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String line : readResponse().split("\n")) {
            int space = line.lastIndexOf(' ');
            counts.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
        return counts;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
