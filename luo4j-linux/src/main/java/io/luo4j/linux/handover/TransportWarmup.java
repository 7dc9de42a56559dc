package io.luo4j.linux.handover;

import io.luo4j.linux.internal.SeqpacketSocket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the handover's transport once on throwaway resources (a message with descriptors over a
 * SEQPACKET socket, an image through a sealed memfd) so that a process does its class loading and
 * linking before an upgrade, not during the freeze.
 */
public final class TransportWarmup {
    private TransportWarmup() {}

    /** Exercises the transport in {@code directory} (a private directory; nothing is left in it). */
    public static void run(Path directory) throws IOException {
        Path path = directory.resolve("warmup-" + ProcessHandle.current().pid() + ".sock");
        Files.deleteIfExists(path);
        try (SeqpacketSocket listener = SeqpacketSocket.listen(path);
                SeqpacketSocket client = SeqpacketSocket.connect(path);
                SeqpacketSocket server = listener.accept(1000);
                Arena arena = Arena.ofConfined()) {
            int image = ImageMemfd.write(ByteBuffer.wrap(new byte[64]), false);
            try {
                client.send(Message.encode(Message.Type.IMAGE, out -> out.writeLong(64)), image);
                SeqpacketSocket.Message received = server.receive(1000);
                Message.decode(received.payload()).read(in -> in.readLong());
                ImageMemfd.map(received.fds()[0], 64, arena).get(0);
                SeqpacketSocket.closeAll(received.fds());
            } finally {
                SeqpacketSocket.closeAll(new int[] {image});
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
