package io.luo4j.linux;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.luo4j.linux.testservice.FailedUpgradeCheck;
import io.luo4j.linux.testservice.FaultySuccessor;
import io.luo4j.linux.testservice.ServiceHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Live updates of a real service process ({@code TestService}) to real successor JVMs, and every
 * way one can fail. Scenarios 48, 49, 50 (same pages; timing belongs to the benchmarks), 51 and 52.
 */
@Timeout(300)
class ProcessUpgradeTest {
    @TempDir
    Path dir;


    @Test
    void scenario48_aListenerHandedOverRefusesNoConnectionWhileClientsConnectInALoop() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "it-listener")) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger served = new AtomicInteger();
            List<String> failures = new CopyOnWriteArrayList<>();
            Thread loop = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    try (ServiceHarness.LineClient client = new ServiceHarness.LineClient(service.port)) {
                        String reply = client.call("PING");
                        if ("PONG".equals(reply)) {
                            served.incrementAndGet();
                        } else {
                            failures.add("reply " + reply);
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                }
            });
            awaitAtLeast(served, 50);
            ServiceHarness.Answer report = service.upgrade();
            int atCommit = served.get();
            awaitAtLeast(served, atCommit + 50);
            stop.set(true);
            loop.join(10_000);
            service.assertCommitted(report);
            assertEquals(List.of(), failures, "connections refused or failed during the upgrade");
            assertTrue(served.get() > 100, "served " + served.get());
        }
    }

    @Test
    void scenario49_establishedConnectionsStayOpenAcrossTenUpgradesWithTheirUnreadBytes() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "it-ten")) {
            List<ServiceHarness.LineClient> clients = List.of(service.connect(), service.connect(), service.connect());
            String firstPid = clients.get(0).call("PID");
            long counter = 0;
            for (int round = 1; round <= 10; round++) {
                for (ServiceHarness.LineClient client : clients) {
                    assertEquals(Long.toString(++counter), client.call("INCR"));
                    client.send("PI"); // half a command: the predecessor reads it, cannot handle it yet
                }
                service.awaitPending(6); // the service has read the three halves into its buffers
                ServiceHarness.Answer report = service.upgrade();
                service.assertCommitted(report);
                for (ServiceHarness.LineClient client : clients) {
                    assertEquals("PONG", client.call("NG"), "round " + round + ": the successor completed the half read by the predecessor");
                }
                assertEquals(Integer.toString(round), clients.get(0).call("GEN"));
            }
            assertEquals(Long.toString(counter), clients.get(1).call("GET"));
            assertNotEquals(firstPid, clients.get(2).call("PID"));
        }
    }

    @Test
    void scenario50_aGibibyteMemfdHandsOverWithTheSameChecksumAndTheSamePages() throws Exception {
        long gib = 1L << 30;
        try (ServiceHarness service = ServiceHarness.start(dir, "it-gib", gib, List.of("-Xmx256m"), List.of())) {
            ServiceHarness.LineClient client = service.connect();
            assertEquals(Long.toString(gib), client.call("SIZE"));
            String sum = client.call("SUM");
            String inode = client.call("INODE");
            long shmemBefore = shmemKib();
            ServiceHarness.Answer report = service.upgrade();
            long shmemAfter = shmemKib();
            service.assertCommitted(report);
            assertEquals(sum, client.call("SUM"), "the same bytes");
            assertEquals(inode, client.call("INODE"), "the same memfd: its pages were handed over, not copied");
            assertEquals(Long.toString(gib), client.call("SIZE"));
            assertTrue(Math.abs(shmemAfter - shmemBefore) < 128 * 1024,
                    "shared memory moved by " + (shmemAfter - shmemBefore) + " KiB: a copy would add 1 GiB");
        }
    }

    /** Every way an upgrade can fail before commit. */
    enum FailurePoint {
        SUCCESSOR_EXITS_BEFORE_CONNECTING("exit-before-connect", "ESRCH"),
        SUCCESSOR_EXITS_AFTER_RECEIVING_THE_IMAGE("exit-after-image", "ECONNRESET"),
        SUCCESSOR_EXITS_BEFORE_READY("exit-before-ready", "ECONNRESET"),
        SUCCESSOR_HANGS_PAST_THE_TIMEOUT("hang", "ETIMEDOUT"),
        FREEZE_FAILS("", "EIO");
        // the image damaged in transit: internal.ImageCorruptedInTransitTest, with a relaying successor command

        final String fault;
        final String reason;

        FailurePoint(String fault, String reason) {
            this.fault = fault;
            this.reason = reason;
        }
    }

    @ParameterizedTest
    @EnumSource(FailurePoint.class)
    void scenario51_everyFailureBeforeCommitRollsBackAndThePredecessorKeepsServingEverything(FailurePoint point) throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "it-fail-" + point.ordinal(), 1 << 20, List.of(), List.of())) {
            FailedUpgradeCheck.rollsBackAndServesOn(service, point == FailurePoint.FREEZE_FAILS,
                    point.fault.isEmpty() ? "" : service.commandWithFault(point.fault),
                    point == FailurePoint.SUCCESSOR_HANGS_PAST_THE_TIMEOUT ? 8 : 60, point.reason);
        }
    }

    /** Faults after the commit, within the grace period, injected by a successor command (FaultySuccessor). */
    enum AfterCommit {
        KILLED_5_MS_AFTER_IT_SERVED("kill", 5, "ECONNRESET"),
        KILLED_WHILE_IT_SERVES_A_CLIENT("kill", 1500, "ECONNRESET"),
        STOPPED_5_MS_AFTER_IT_SERVED("stop", 5, "ETIMEDOUT");

        final String fault;
        final long delayMillis;
        final String reason;

        AfterCommit(String fault, long delayMillis, String reason) {
            this.fault = fault;
            this.delayMillis = delayMillis;
            this.reason = reason;
        }
    }

    @ParameterizedTest
    @EnumSource(AfterCommit.class)
    void aSuccessorThatDiesInItsGracePeriodHandsTheServiceBackWithNothingLost(AfterCommit fault) throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "it-grace-" + fault.ordinal())) {
            ServiceHarness.LineClient client = service.connect();
            assertEquals("1", client.call("INCR"));
            String pid = client.call("PID");
            String exec = FaultySuccessor.command(fault.fault, fault.delayMillis, FaultySuccessor.TEST_SERVICE_SERVES, service.command);
            CompletableFuture<ServiceHarness.Answer> upgrade = CompletableFuture.supplyAsync(
                    () -> service.upgrade(exec, Duration.ofSeconds(60), null, Duration.ofSeconds(6)));
            String expectedCount = "2";
            if (fault == AfterCommit.KILLED_WHILE_IT_SERVES_A_CLIENT) {
                awaitTrue(() -> "1".equals(client.call("GEN"))); // the successor serves this very connection
                assertEquals("2", client.call("INCR"), "the successor changes the shared state");
                expectedCount = "3";
            }
            ServiceHarness.Answer report = upgrade.get(120, TimeUnit.SECONDS);

            assertEquals(1, report.exitCode(), () -> "expected the service taken back: " + report.text() + "\n" + service.log());
            assertTrue(report.json().contains("\"reason\":\"" + fault.reason + "\""), report.json() + "\n" + service.progress);
            assertTrue(report.text().get(0).contains("took the service back"), report.text()::toString);
            assertEquals(pid, client.call("PID"), "the predecessor serves again, on the same connection");
            assertEquals(expectedCount, client.call("INCR"), "its state is current: the memfd's pages were shared");
            assertEquals("0", client.call("GEN"));
            try (ServiceHarness.LineClient fresh = service.connect()) {
                assertEquals("PONG", fresh.call("PING"), "new connections are accepted");
            }
            assertTrue(service.control("status").text().get(0).contains("generation 0  running"), service.control("status").text()::toString);
            service.assertCommitted(service.upgrade()); // and a later upgrade commits
            assertEquals(Integer.toString(Integer.parseInt(expectedCount) + 1), client.call("INCR"));
        }
    }

    @Test
    void scenario52_aPredecessorThatDiesAndStaysAZombieIsSeenDead_theSuccessorTakesOverWithEverything() throws Exception {
        Path release = dir.resolve("release");
        try (ServiceHarness service = ServiceHarness.startUnreaped(dir, "it-zombie")) {
            ServiceHarness.LineClient client = service.connect();
            assertEquals("1", client.call("INCR"));
            long predecessor = Long.parseLong(client.call("PID"));
            CompletableFuture.runAsync(() -> service.upgrade(service.commandWithFault("pause-before-ready", "TEST_RELEASE_FILE=" + release), 60));
            awaitTrue(() -> service.log().contains("paused (pause-before-ready)"));
            ProcessHandle.of(predecessor).orElseThrow().destroyForcibly(); // SIGKILL; its parent never reaps it
            awaitTrue(() -> "Z".equals(processState(predecessor)));
            Files.createFile(release);
            assertEquals("2", client.call("INCR"), "the successor took over the connection and the state");
            assertNotEquals(Long.toString(predecessor), client.call("PID"));
            assertEquals("Z", processState(predecessor), "the predecessor is still a zombie: it was seen dead all the same");
        }
    }

    /** The state letter of /proc/PID/stat (R, S, Z, ...), or "" when the process is gone. */
    private static String processState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException e) {
            return "";
        }
    }


    @Test
    void aSuccessorStartedAsAnotherServiceIsRefusedAtTheHandshake() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "it-identity")) {
            ServiceHarness.LineClient client = service.connect();
            assertEquals("1", client.call("INCR"));
            List<String> otherPort = new java.util.ArrayList<>(service.command);
            otherPort.set(otherPort.indexOf("--port") + 1, Integer.toString(ServiceHarness.freePort()));
            ServiceHarness.Answer report = service.upgrade(ServiceHarness.shellLine(otherPort), 60);
            assertEquals(1, report.exitCode(), report.text()::toString);
            assertTrue(report.json().contains("\"reason\":\"EINVAL\""), report.json());
            assertTrue(report.text().get(0).contains("a successor must be the same service"), report.text()::toString);
            assertEquals("2", client.call("INCR"), "nothing was frozen: the service serves on");
        }
    }

    @Test
    void scenario51_oneUpgradeAtATime() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(dir, "it-busy")) {
            CompletableFuture<ServiceHarness.Answer> slow = CompletableFuture.supplyAsync(() -> service.upgrade(service.commandWithFault("hang"), 10));
            awaitTrue(() -> service.progress.stream().anyMatch(p -> p.startsWith("started successor")));
            ServiceHarness.Answer second = service.upgrade();
            assertEquals(1, second.exitCode());
            assertTrue(second.json().contains("\"reason\":\"EBUSY\""), second.json());
            assertEquals(1, slow.get(60, TimeUnit.SECONDS).exitCode());
            service.assertCommitted(service.upgrade());
        }
    }

    @Test
    void scenario52_predecessorKilledAfterSendingEverything_theSuccessorCompletesWithEverything() throws Exception {
        Path release = dir.resolve("release");
        try (ServiceHarness service = ServiceHarness.start(dir, "it-kill-late")) {
            ServiceHarness.LineClient client = service.connect();
            assertEquals("1", client.call("INCR"));
            long predecessor = Long.parseLong(client.call("PID"));
            CompletableFuture<ServiceHarness.Answer> upgrade = CompletableFuture.supplyAsync(
                    () -> service.upgrade(service.commandWithFault("pause-before-ready", "TEST_RELEASE_FILE=" + release), 60));
            awaitTrue(() -> service.log().contains("paused (pause-before-ready)"));
            ProcessHandle.of(predecessor).orElseThrow().destroyForcibly(); // SIGKILL mid-handover
            awaitTrue(() -> ProcessHandle.of(predecessor).isEmpty() || !ProcessHandle.of(predecessor).get().isAlive());
            Files.createFile(release);
            assertTrue(upgrade.handle((r, e) -> e != null || r.exitCode() != 0).get(60, TimeUnit.SECONDS),
                    "the killed predecessor cannot report a commit");
            String incremented;
            try {
                incremented = client.call("INCR");
            } catch (RuntimeException e) {
                throw new AssertionError("the connection did not survive; service log:\n" + service.log(), e);
            }
            assertEquals("2", incremented, "the successor took over the connection and the state");
            assertNotEquals(Long.toString(predecessor), client.call("PID"));
            assertEquals("1", client.call("GEN"));
            assertTrue(service.log().contains("takes over"), service.log());
        }
    }

    @Test
    void scenario52_predecessorKilledBeforeTheSuccessorConnected_theSuccessorFailsClearly() throws Exception {
        Path release = dir.resolve("release");
        try (ServiceHarness service = ServiceHarness.start(dir, "it-kill-early")) {
            ServiceHarness.LineClient client = service.connect();
            long predecessor = Long.parseLong(client.call("PID"));
            CompletableFuture.runAsync(() -> service.upgrade(service.commandWithFault("pause-before-connect", "TEST_RELEASE_FILE=" + release), 60));
            awaitTrue(() -> service.log().contains("paused (pause-before-connect)"));
            ProcessHandle.of(predecessor).orElseThrow().destroyForcibly();
            Files.createFile(release);
            awaitTrue(() -> service.log().contains("cannot reach its handover socket"));
            assertTrue(service.log().contains("nothing was taken over"), service.log());
            await("no half-started service is left").atMost(60, TimeUnit.SECONDS).until(() -> ProcessHandle.allProcesses()
                    .noneMatch(p -> p.info().arguments().map(a -> List.of(a).contains("it-kill-early")).orElse(false) && p.isAlive()));
        }
    }

    @Test
    void descriptorsThatWereNotPreservedDoNotLeakIntoTheSuccessor() throws Exception {
        Path secret = dir.resolve("not-preserved.txt");
        try (ServiceHarness service = ServiceHarness.start(dir, "it-leak", 1 << 16, List.of(), List.of("--unpreserved-file", secret.toString()))) {
            ServiceHarness.LineClient client = service.connect();
            assertTrue(client.call("FDS").contains(secret.toString()), "the predecessor holds the file");
            service.assertCommitted(service.upgrade());
            String successorFds = client.call("FDS");
            assertFalse(successorFds.contains(secret.toString()), "the unpreserved file leaked: " + successorFds);
            assertFalse(successorFds.contains("luo4j-image"), "the image memfd is closed after loading: " + successorFds);
            assertFalse(successorFds.contains("handover"), "no handover socket is left: " + successorFds);
        }
    }

    @Test
    void theControlSocketRefusesAPeerOfAnotherUid() throws Exception {
        if (!"0".equals(ownUid())) {
            String why = "theControlSocketRefusesAPeerOfAnotherUid needs root (it acts as uid 65534 through setpriv)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why + ": CI runs as root, so it must run there");
            }
            System.err.println("WARNING: SKIPPED: " + why + "; this run is not root");
            assumeTrue(false, why);
        }
        try (ServiceHarness service = ServiceHarness.start(dir, "it-uid")) {
            Path socket = service.controlSocket();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
            String denied = asNobody(socket);
            assertTrue(denied.contains("connect failed"), "the file permissions keep others out: " + denied);

            // take the file permissions away (the test's directories too): the uid check still refuses
            for (Path d = socket.getParent(); d.startsWith(dir); d = d.getParent()) {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx--x--x"));
            }
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            String refused = asNobody(socket);
            assertTrue(refused.contains("refused: EACCES") && refused.contains("exit 13"), refused);
            assertEquals(0, service.control("status").exitCode(), "the owner is still served");
        }
    }

    /** This process's uid, from /proc. */
    private static String ownUid() throws IOException {
        return Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
    }

    /** Sends "status" to the control socket as uid 65534, with the system perl. */
    private static String asNobody(Path socket) throws IOException, InterruptedException {
        Process perl = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/perl",
                "-MIO::Socket::UNIX", "-e",
                "my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or do { print \"connect failed: $!\\n\"; exit 0 };"
                        + " print $s \"status\\n\"; print while <$s>;", socket.toString())
                .redirectErrorStream(true).start();
        String output = new String(perl.getInputStream().readAllBytes());
        perl.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    private static long shmemKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("Shmem:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no Shmem in /proc/meminfo");
    }

    private static void awaitAtLeast(AtomicInteger value, int target) {
        awaitTrue(() -> value.get() >= target);
    }

    private static void awaitTrue(Supplier<Boolean> condition) {
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(10)).until(condition::get);
    }
}
