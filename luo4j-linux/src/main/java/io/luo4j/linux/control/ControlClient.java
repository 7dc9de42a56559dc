package io.luo4j.linux.control;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** luoctl's side of the control socket: one request, its progress, its answer. */
public final class ControlClient {
    private ControlClient() {}

    /**
     * Sends {@code requestLine} to the control socket at {@code socket}, passes progress lines to
     * {@code progress} as they come, and returns the answer.
     *
     * @throws LiveUpdateException ENOENT no such service; ECONNREFUSED the service is gone; EACCES
     *         the socket belongs to another user; EPROTO the answer ended early
     */
    public static Report request(Path socket, String requestLine, Consumer<String> progress) {
        if (!Files.exists(socket)) {
            throw new LiveUpdateException(Errno.ENOENT, "no service has a control socket at " + socket
                    + ": check the name, and that LUO4J_RUNTIME_DIR matches the service's");
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new LiveUpdateException(Errno.EMFILE, "cannot open a socket to reach " + socket + ": " + e.getMessage(), e);
        }
        try (channel) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                if (!Files.isWritable(socket)) {
                    throw new LiveUpdateException(Errno.EACCES, "permission denied on " + socket + ": run luoctl as the service's user", e);
                }
                throw new LiveUpdateException(Errno.ECONNREFUSED, "nothing listens on " + socket + ": the service is not running"
                        + " (a stale socket file is left); start it again", e);
            }
            return exchange(channel, requestLine, progress);
        } catch (IOException e) {
            throw new LiveUpdateException(Errno.EIO, "the control connection to " + socket + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Asks the service at {@code socket} to upgrade: {@code exec} is the successor's command line
     * (run by {@code /bin/sh -c}; empty for the service's own), {@code settings} the limits (its
     * command is not sent; null settings take the service's defaults).
     */
    public static Report upgrade(Path socket, String exec, UpgradeRequest settings, Consumer<String> progress) {
        return request(socket, ControlProtocol.request("upgrade", settings.arguments(exec)), progress);
    }

    private static Report exchange(SocketChannel channel, String requestLine, Consumer<String> progress) throws IOException {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), true);
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        out.println(requestLine);
        List<String> text = new ArrayList<>();
        String json = null;
        String line;
        while ((line = in.readLine()) != null) {
            int space = line.indexOf(' ');
            String kind = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space + 1);
            switch (kind) {
                case "progress" -> progress.accept(rest);
                case "text" -> text.add(rest);
                case "json" -> json = rest;
                case "exit" -> {
                    return new Report(text, json == null ? "{}" : json, Integer.parseInt(rest.trim()));
                }
                default -> text.add(line);
            }
        }
        throw new LiveUpdateException(Errno.EPROTO, "the service closed the control connection before answering");
    }
}
