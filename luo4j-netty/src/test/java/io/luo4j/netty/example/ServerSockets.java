package io.luo4j.netty.example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server side of a port's established TCP connections as the kernel reports them
 * ({@code ss -tin}): for each, the bytes received and the bytes still in its receive queue. A
 * test waits on them to know that a request's first part reached the service and was read by it
 * (received &gt; 0, queue 0) before it starts an upgrade.
 */
final class ServerSockets {
    private static final Pattern RECEIVED = Pattern.compile("bytes_received:(\\d+)");

    record Connection(int recvQueue, int peerPort, long bytesReceived) {}

    private ServerSockets() {}

    static List<Connection> of(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-Htin", "state", "established", "sport", "= :" + port).redirectErrorStream(true).start();
        String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ss.waitFor() != 0) {
            throw new IOException("ss failed: " + output);
        }
        List<Connection> connections = new ArrayList<>();
        String[] lines = output.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String[] fields = lines[i].trim().split("\\s+");
            if (fields.length < 4 || !Character.isDigit(fields[0].charAt(0))) {
                continue;
            }
            String peer = fields[3];
            long received = 0;
            if (i + 1 < lines.length) {
                Matcher m = RECEIVED.matcher(lines[i + 1]);
                if (m.find()) {
                    received = Long.parseLong(m.group(1));
                }
            }
            connections.add(new Connection(Integer.parseInt(fields[0]), Integer.parseInt(peer.substring(peer.lastIndexOf(':') + 1)),
                    received));
        }
        return connections;
    }

    /** Whether the connection from {@code peerPort} delivered at least {@code bytes} and the service read them all. */
    static boolean readFrom(int port, int peerPort, long bytes) throws IOException, InterruptedException {
        return of(port).stream().anyMatch(c -> c.peerPort() == peerPort && c.bytesReceived() >= bytes && c.recvQueue() == 0);
    }
}
