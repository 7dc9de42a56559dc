package io.luo4j.linux.control;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.linux.testservice.ServiceHarness;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket of a real service against clients of its own uid that misbehave: a line too
 * long, silence, too many connections at once, a malformed request. Each gets a clear refusal or a
 * closed connection, and the service goes on answering (issue 10, item 8 and part of 16).
 */
@Timeout(120)
class ControlSocketLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aLineLongerThanTheCapIsRefusedWithoutBufferingIt() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "ctl-long");
                SocketChannel client = connect(service)) {
            ByteBuffer junk = ByteBuffer.allocate(ControlServer.MAX_LINE + 4096);
            while (junk.hasRemaining()) {
                junk.put((byte) 'x');
            }
            client.write(junk.flip());
            String answer = readAll(client);
            assertTrue(answer.contains("EINVAL") && answer.contains("longer than " + ControlServer.MAX_LINE), answer);
            assertEquals(0, service.control("status").exitCode(), "the service still answers");
        }
    }

    @Test
    void aMalformedEncodingOrANegativeTimeoutIsRefusedClearly() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "ctl-bad")) {
            String badEncoding = ask(service, "upgrade exec=%zz\n");
            assertTrue(badEncoding.contains("EINVAL") && badEncoding.contains("not %-encoded correctly"), badEncoding);
            String negative = ask(service, "upgrade timeout=-5\n");
            assertTrue(negative.contains("EINVAL") && negative.contains("timeout"), negative);
            String huge = ask(service, "upgrade pause=" + Long.MAX_VALUE + "\n");
            assertTrue(huge.contains("EINVAL") && huge.contains("pause limit"), huge);
            assertFalse(service.log().contains("Exception"), "no stack trace in the service's log:\n" + service.log());
            assertTrue(service.control("status").text().get(0).contains("generation 0  running"), "nothing was started");
        }
    }

    @Test
    void silentConnectionsAreCountedAndClosed_andTheServiceStillAnswers() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "ctl-idle")) {
            List<SocketChannel> silent = new ArrayList<>();
            try {
                for (int i = 0; i < ControlServer.MAX_CLIENTS; i++) {
                    silent.add(connect(service));
                }
                await("the service holds " + ControlServer.MAX_CLIENTS + " silent connections").atMost(30, TimeUnit.SECONDS)
                        .until(() -> ask(service, "status\n").contains("EAGAIN"));
                for (SocketChannel s : silent) {
                    s.configureBlocking(true);
                }
                // each silent one is closed once its line is overdue: the read sees the end
                await("silent connections are closed").atMost(ControlServer.IDLE_SECONDS + 20, TimeUnit.SECONDS)
                        .until(() -> silent.stream().allMatch(ControlSocketLimitsTest::closedByPeer));
                await("the service answers again once they are gone").atMost(30, TimeUnit.SECONDS)
                        .until(() -> service.control("status").exitCode() == 0);
            } finally {
                for (SocketChannel s : silent) {
                    s.close();
                }
            }
        }
    }

    private static boolean closedByPeer(SocketChannel channel) {
        try {
            return channel.read(ByteBuffer.allocate(1024)) < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private static SocketChannel connect(ServiceHarness service) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(service.controlSocket()));
        return channel;
    }

    private static String ask(ServiceHarness service, String line) throws IOException {
        try (SocketChannel client = connect(service)) {
            client.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            return readAll(client);
        }
    }

    private static String readAll(SocketChannel client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (client.read(buffer) >= 0 && buffer.hasRemaining()) {
            // until the service closes the connection
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }
}
