package io.luo4j.netty.example;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.linux.testservice.ServiceHarness;
import io.luo4j.netty.NettyLiveUpdate.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Netty example as users meet it, on each transport: a real service process, upgraded over its
 * control socket as {@code luoctl upgrade} does, while real clients talk to it: wrk (keep-alive
 * load across three upgrades: no socket error, no non-2xx reply, no reconnect, and the memfd
 * counts every request) and curl (a request whose headers go before an upgrade and whose body
 * after), beside a client of our own that splits a request the same way and holds its connection
 * through a rolled-back upgrade too. The successors start without the warm-up (faster; the
 * warm-up has its own test).
 */
@Timeout(300)
class NettyExampleUpgradeTest {
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ");
    private static final int WRK_CONNECTIONS = 8;

    @TempDir
    Path dir;

    private static void requireTools() {
        for (String tool : List.of("wrk", "curl", "ss")) {
            boolean found = System.getenv("PATH") != null && List.of(System.getenv("PATH").split(":")).stream()
                    .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
            assertTrue(found, tool + " is not installed: apt-get install wrk curl iproute2 (.ci/run does)");
        }
    }

    private ServiceHarness start(Transport transport, String name) throws Exception {
        return ServiceHarness.startMain(dir, name, NettyExample.class, List.of("-Xmx256m"),
                List.of("--transport", transport.name().toLowerCase(Locale.ROOT), "--warm-up", "false"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void wrkSeesNoErrorNoNon2xxAndNoReconnectAcrossThreeUpgradesAndEveryRequestIsCounted(Transport transport) throws Exception {
        requireTools();
        String name = "netty-wrk-" + transport.name().toLowerCase(Locale.ROOT);
        try (ServiceHarness service = start(transport, name); HttpProbe probe = new HttpProbe(service.port)) {
            Path output = dir.resolve("wrk.txt");
            Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + WRK_CONNECTIONS, "-d300s", "--latency",
                    "http://127.0.0.1:" + service.port + "/wrk").redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                long counted = 0;
                for (int upgrade = 1; upgrade <= 3; upgrade++) {
                    long before = counted;
                    // wrk has run against this generation for a while: the upgrade lands mid-load
                    counted = await("wrk's requests reach generation " + (upgrade - 1)).atMost(120, TimeUnit.SECONDS)
                            .until(() -> probe.counters().getOrDefault("/wrk", 0L), n -> n >= before + 5_000 || !wrk.isAlive());
                    assertTrue(wrk.isAlive(), "wrk must still run at upgrade " + upgrade + ": " + Files.readString(output));
                    service.assertCommitted(service.upgrade());
                }
                long last = counted;
                await("wrk's requests reach generation 3").atMost(120, TimeUnit.SECONDS)
                        .until(() -> probe.counters().getOrDefault("/wrk", 0L), n -> n >= last + 5_000);
            } finally {
                new ProcessBuilder("kill", "-INT", Long.toString(wrk.pid())).start().waitFor(); // wrk prints its summary on SIGINT
                assertTrue(wrk.waitFor(60, TimeUnit.SECONDS), "wrk did not stop");
            }
            String summary = Files.readString(output);
            System.out.println("wrk on " + transport + " across 3 upgrades:\n" + summary);
            assertFalse(summary.contains("Socket errors"), summary);
            assertFalse(summary.contains("Non-2xx"), summary);
            Matcher requests = REQUESTS.matcher(summary);
            assertTrue(requests.find(), summary);
            long completed = Long.parseLong(requests.group(1));
            Map<String, Long> counters = probe.counters();
            long served = counters.get("/wrk");
            // wrk counts the replies it read; each connection may have had one request in flight when it stopped
            assertTrue(served >= completed && served <= completed + WRK_CONNECTIONS,
                    "the memfd counted " + served + " requests, wrk completed " + completed + "\n" + summary);
            // wrk's connections (and the one it opens first to check the address), this probe's and the
            // harness's start-up probe, each accepted once: nobody reconnected
            assertEquals(WRK_CONNECTIONS + 3L, counters.get("connections"), counters + "\n" + summary + "\n" + service.log());
            assertTrue(service.log().contains("generation 3"), service.log());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void requestsSpreadOverARolledBackAndACommittedUpgradeComplete(Transport transport) throws Exception {
        requireTools();
        String name = "netty-split-" + transport.name().toLowerCase(Locale.ROOT);
        try (ServiceHarness service = start(transport, name); HttpProbe split = new HttpProbe(service.port)) {
            assertEquals("/before 1 0\n", request(split, "/before"));
            // our client: the headers of a request, read by the service (its pipeline has decoded them)
            split.sendHead("POST", "/split", 11);
            await("the service read the split request's headers").atMost(30, TimeUnit.SECONDS)
                    .until(() -> ServerSockets.readFrom(service.port, split.localPort(), 60));
            // curl: an upload whose body comes from a pipe this test writes only after the upgrades
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "120", "-H", "Expect:", "-X", "POST", "-T", "-",
                    "http://127.0.0.1:" + service.port + "/curl").redirectErrorStream(true).start();
            await("the service read curl's headers").atMost(30, TimeUnit.SECONDS)
                    .until(() -> ServerSockets.of(service.port).stream().anyMatch(c -> c.peerPort() != split.localPort()
                            && c.bytesReceived() >= 60 && c.recvQueue() == 0));

            // an upgrade that rolls back after the freeze (no successor can be ready within 1 ms):
            // the old process serves on with both half-read requests
            ServiceHarness.Answer rolledBack = service.upgrade("", Duration.ofSeconds(60), Duration.ofMillis(1), null);
            assertEquals(1, rolledBack.exitCode(), rolledBack.text() + "\n" + service.log());
            assertTrue(rolledBack.json().contains("\"committed\":false") && rolledBack.json().contains("\"ETIMEDOUT\""),
                    rolledBack.json());
            try (HttpProbe during = new HttpProbe(service.port)) {
                assertEquals("/after-rollback 1 0\n", request(during, "/after-rollback"));
            }

            service.assertCommitted(service.upgrade());
            split.sendBody("hello world");
            assertEquals("/split 1 11\n", split.readResponse(), service.log());
            curl.getOutputStream().write("the curl body\n".getBytes(StandardCharsets.US_ASCII));
            curl.getOutputStream().close();
            assertTrue(curl.waitFor(60, TimeUnit.SECONDS), "curl did not finish");
            String curlOutput = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, curl.exitValue(), curlOutput + "\n" + service.log());
            assertEquals("/curl 1 14\n", curlOutput, service.log());

            Map<String, Long> counters = split.counters();
            assertEquals(1L, counters.get("/split"), counters.toString());
            assertEquals(1L, counters.get("/curl"), counters.toString());
            assertEquals(1L, counters.get("/before"), counters.toString());
            assertEquals(4L, counters.get("connections"), counters.toString()); // start-up probe, split, curl, during: none twice
        }
    }

    private static String request(HttpProbe probe, String path) throws IOException {
        probe.sendHead("GET", path, -1);
        return probe.readResponse();
    }
}
