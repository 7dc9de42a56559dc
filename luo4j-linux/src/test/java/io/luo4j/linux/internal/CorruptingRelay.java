package io.luo4j.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fault injected from the test side: a successor command that damages the image in transit. The
 * predecessor starts it as its successor; it starts the real successor behind itself (the rest of
 * its command line) on a handover socket of its own, and relays every message both ways, with its
 * descriptors, unchanged but one: in the predecessor's first message (IMAGE, which ends with the
 * image when the image travels inline) one byte of the image is flipped, as a damaged transport
 * would. The predecessor sees a successor like any other (its child, presenting the nonce); the
 * real successor must find the image corrupt (EBADMSG) and the predecessor roll back.
 *
 * <p>{@code java ... CorruptingRelay SUCCESSOR-COMMAND...}
 */
public final class CorruptingRelay {
    private static final String SOCKET = "LUO4J_HANDOVER_SOCKET";
    private static final String PREDECESSOR = "LUO4J_PREDECESSOR_PID";

    private CorruptingRelay() {}

    public static void main(String[] args) throws Exception {
        Path upstreamPath = Path.of(System.getenv(SOCKET));
        Path downstreamPath = upstreamPath.resolveSibling("relay-" + ProcessHandle.current().pid() + ".sock");
        Files.deleteIfExists(downstreamPath);
        try (SeqpacketSocket listener = SeqpacketSocket.listen(downstreamPath)) {
            Process successor = start(List.of(args), downstreamPath);
            try (SeqpacketSocket downstream = awaitConnection(listener, successor);
                    SeqpacketSocket upstream = SeqpacketSocket.connect(upstreamPath)) {
                Thread up = Thread.ofPlatform().start(() -> relay(downstream, upstream, false));
                relay(upstream, downstream, true);
                up.join();
            }
            System.exit(successor.waitFor());
        } finally {
            Files.deleteIfExists(downstreamPath);
        }
    }

    private static Process start(List<String> command, Path socket) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).inheritIO();
        Map<String, String> env = builder.environment();
        env.put(SOCKET, socket.toString());
        env.put(PREDECESSOR, Long.toString(ProcessHandle.current().pid()));
        return builder.start();
    }

    private static SeqpacketSocket awaitConnection(SeqpacketSocket listener, Process successor) {
        while (true) {
            SeqpacketSocket peer = listener.accept(100);
            if (peer != null) {
                return peer;
            }
            if (!successor.isAlive()) {
                throw new IllegalStateException("the real successor exited before it connected");
            }
        }
    }

    /** Copies messages from {@code from} to {@code to} until either side closes. */
    private static void relay(SeqpacketSocket from, SeqpacketSocket to, boolean damageFirst) {
        boolean first = damageFirst;
        try {
            while (true) {
                SeqpacketSocket.Message message = from.receive(60_000);
                if (message == null) {
                    continue;
                }
                byte[] payload = message.payload();
                if (first) {
                    if (message.fds().length != 0) {
                        throw new IllegalStateException("the image travelled in a memfd: this relay damages inline images only");
                    }
                    payload[payload.length - 32] ^= 0x20; // inside the image, before its 8-byte trailer
                    first = false;
                }
                to.send(payload, message.fds());
                SeqpacketSocket.closeAll(message.fds());
            }
        } catch (RuntimeException closed) {
            from.close();
            to.close();
        }
    }
}
