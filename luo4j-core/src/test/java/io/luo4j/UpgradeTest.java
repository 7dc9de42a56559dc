package io.luo4j;

import static io.luo4j.Expect.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.image.ImageReader;
import io.luo4j.image.ImageSession;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scenarios 23-29: freezing and serializing at upgrade, and rolling back. */
@Timeout(60)
class UpgradeTest {
    /** Own threads: the common pool has a single worker on two cores, and these tasks block. */
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CallLog log = new CallLog();
    private final TestHandler handler = new TestHandler("t-v1", log);
    private final LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();

    UpgradeTest() {
        luo.registerHandler(handler);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private Session fill(String session, long... tokens) {
        Session s = luo.createSession(session);
        for (long token : tokens) {
            s.preserve(token, new TestFile("t-v1", session + token));
        }
        return s;
    }

    @Test
    void scenario23_freezeRunsSessionBySessionFileByFileInPreservationOrder() {
        fill("A", 3, 1, 2);
        fill("B", 20, 10);
        log.take();
        try (PreparedUpgrade upgrade = luo.prepareUpgrade()) {
            assertEquals(List.of("freeze:A:3", "freeze:A:1", "freeze:A:2", "freeze:B:20", "freeze:B:10"), log.take());
            assertFalse(upgrade.isCommitted());
            upgrade.commit();
            assertTrue(upgrade.isCommitted());
        }
        assertEquals(List.of(), log.take(), "closing a committed upgrade unfreezes nothing");
        assertEquals(OrchestratorStatus.Phase.HANDED_OVER, luo.status().phase());
    }

    @Test
    void scenario24_freezeFailureUnfreezesTheSessionsFilesThenEarlierSessionsInReverse() {
        fill("A", 1, 2);
        fill("B", 1, 2, 3, 4, 5);
        fill("C", 1);
        handler.failFreeze.add(3L);
        handler.failingWith(Errno.EAGAIN);
        log.take();
        failure(Errno.EAGAIN, luo::prepareUpgrade);
        assertEquals(List.of(
                "freeze:A:1", "freeze:A:2",
                "freeze:B:1", "freeze:B:2", "freeze:B:3",
                "unfreeze:B:1", "unfreeze:B:2",
                "unfreeze:A:1", "unfreeze:A:2"), log.take());
    }

    @Test
    void scenario24_reverseSessionOrderAcrossThreeSessions() {
        fill("A", 1);
        fill("B", 1);
        fill("C", 1, 2);
        handler.failFreeze.add(2L);
        log.take();
        failure(Errno.EIO, luo::prepareUpgrade);
        assertEquals(List.of("freeze:A:1", "freeze:B:1", "freeze:C:1", "freeze:C:2",
                "unfreeze:C:1", "unfreeze:B:1", "unfreeze:A:1"), log.take());
    }

    @Test
    void scenario24_afterAFailedFreezeEverySessionWorksAndASecondUpgradeSucceeds() {
        fill("A", 1, 2);
        fill("B", 1, 2, 3);
        handler.failFreeze.add(3L);
        failure(Errno.EIO, luo::prepareUpgrade);
        assertEquals(OrchestratorStatus.Phase.RUNNING, luo.status().phase());
        // sessions are usable as before
        Session c = luo.createSession("C");
        c.preserve(9, new TestFile("t-v1", "c9"));
        c.close();
        handler.failFreeze.clear();
        log.take();
        Handover handover = luo.upgrade();
        assertEquals(5, log.starting("freeze").size());
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        next.registerHandler(new TestHandler("t-v1", new CallLog()));
        next.loadIncoming(handover);
        assertEquals(List.of("A", "B"), next.incomingSessionNames());
        assertEquals(List.of(1L, 2L, 3L), next.retrieveSession("B").tokens());
    }

    @Test
    void scenario25_freezeMayUpdateTheDataAndTheSuccessorSeesIt() {
        fill("A", 1, 2);
        handler.freezeData.put(1L, "frozen-1".getBytes(StandardCharsets.UTF_8));
        LiveUpdateOrchestrator next = Reboot.into(luo, n -> n.registerHandler(new TestHandler("t-v1", new CallLog())));
        Session in = next.retrieveSession("A");
        assertEquals("frozen-1", in.retrieve(1, TestFile.class).id);
        assertEquals("data-2", in.retrieve(2, TestFile.class).id);
    }

    @Test
    void scenario25_unfreezeSeesTheFrozenDataAndThenItIsCleared() {
        fill("A", 1);
        handler.freezeData.put(1L, "frozen-1".getBytes(StandardCharsets.UTF_8));
        try (PreparedUpgrade upgrade = luo.prepareUpgrade()) {
            assertTrue(upgrade.handover().image().remaining() > 0);
        } // closing without commit rolls back
        assertEquals("frozen-1", handler.dataSeen.get("unfreeze:1"), "unfreeze gets what freeze set");
        assertEquals("data-1".length(), luo.status().outgoing().get(0).files().get(0).dataBytes(),
                "freeze's data is cleared; the file holds preserve's again");
    }

    @Test
    void scenario25_dataAHandlerSetOnlyInFreezeIsEmptyAgainAfterUnfreeze() {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.create();
        AtomicReference<String> seenByUnpreserve = new AtomicReference<>();
        o.registerHandler(new PlainHandler("late-v1") {
            @Override
            public void freeze(FileOpArgs a) {
                a.setSerializedData("set-in-freeze".getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void unpreserve(FileOpArgs a) {
                seenByUnpreserve.set(new String(a.serializedData(), StandardCharsets.UTF_8));
            }
        });
        Session s = o.createSession("s");
        s.preserve(1, new Object());
        o.prepareUpgrade().rollback();
        assertEquals(0, o.status().outgoing().get(0).files().get(0).dataBytes());
        s.close();
        assertEquals("", seenByUnpreserve.get());
    }

    @Test
    void scenario25_afterUnfreezeCloseGetsPreservesDataBack() {
        Session a = fill("A", 1);
        handler.freezeData.put(1L, "frozen-1".getBytes(StandardCharsets.UTF_8));
        luo.prepareUpgrade().rollback();
        a.close();
        assertEquals("data-1", handler.dataSeen.get("unpreserve:1"));
    }

    @Test
    void scenario26_handlersWithoutFreezeOrUnfreezeAreSkipped() {
        CallLog plainLog = new CallLog();
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.create();
        o.registerHandler(new TestHandler("plain-v1", plainLog).requiredOnly());
        TestHandler withFreeze = new TestHandler("t-v1", plainLog);
        withFreeze.failFreeze.add(2L);
        o.registerHandler(withFreeze);
        Session s = o.createSession("s");
        s.preserve(1, new TestFile("plain-v1", "p"));
        s.preserve(2, new TestFile("t-v1", "t"));
        plainLog.take();
        failure(Errno.EIO, o::prepareUpgrade);
        assertEquals(List.of("freeze:s:2"), plainLog.take());
        withFreeze.failFreeze.clear();
        Handover h = o.upgrade();
        assertEquals(List.of("freeze:s:2"), plainLog.take());
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        next.registerHandler(new TestHandler("plain-v1", plainLog).requiredOnly());
        next.registerHandler(new TestHandler("t-v1", plainLog));
        next.loadIncoming(h);
        Session in = next.retrieveSession("s");
        in.finish(); // no canFinish for the plain handler: only t-v1 is asked
        assertEquals(List.of("canFinish:s:2", "finish:s:2", "finish:s:1"), plainLog.take());
    }

    @Test
    @Timeout(30)
    void scenario27_callsWaitDuringSerializationAndAreRefusedAfterSuccess() throws Exception {
        CountDownLatch inFreeze = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LiveUpdateOrchestrator o = blockingInFreeze(inFreeze, release, () -> false);
        Session s = o.createSession("s");
        s.preserve(1, new Object());

        CompletableFuture<Handover> upgrade = CompletableFuture.supplyAsync(o::upgrade, threads);
        assertTrue(inFreeze.await(10, TimeUnit.SECONDS));
        CompletableFuture<Session> create = blockedCall(() -> o.createSession("late"));
        CompletableFuture<Boolean> close = blockedCall(() -> {
            s.close();
            return true;
        });
        release.countDown();
        upgrade.get(10, TimeUnit.SECONDS);
        assertEquals(Errno.ESHUTDOWN, reasonOf(create));
        assertEquals(Errno.ESHUTDOWN, reasonOf(close));
        failure(Errno.ESHUTDOWN, () -> o.createSession("later"));
        failure(Errno.ESHUTDOWN, () -> s.preserve(2, new Object()));
        failure(Errno.ESHUTDOWN, s::close);
        failure(Errno.ESHUTDOWN, () -> o.retrieveSession("s"));
        failure(Errno.ESHUTDOWN, o::prepareUpgrade);
        assertEquals(OrchestratorStatus.Phase.HANDED_OVER, o.status().phase());
    }

    @Test
    @Timeout(30)
    void scenario27_callsThatWaitedGoAheadAfterAFailedSerialization() throws Exception {
        CountDownLatch inFreeze = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LiveUpdateOrchestrator o = blockingInFreeze(inFreeze, release, () -> true);
        o.createSession("s").preserve(1, new Object());
        CompletableFuture<Handover> upgrade = CompletableFuture.supplyAsync(o::upgrade, threads);
        assertTrue(inFreeze.await(10, TimeUnit.SECONDS));
        CompletableFuture<Session> create = blockedCall(() -> o.createSession("waiting"));
        release.countDown();
        assertEquals(Errno.EIO, reasonOf(upgrade));
        assertEquals("waiting", create.get(10, TimeUnit.SECONDS).name());
    }

    @Test
    void scenario27_anUpgradeWaitsForOperationsInFlight() throws Exception {
        CountDownLatch inPreserve = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.create();
        o.registerHandler(new PlainHandler("slow-preserve-v1") {
            @Override
            public void preserve(FileOpArgs a) throws InterruptedException {
                inPreserve.countDown();
                release.await();
            }
        });
        Session s = o.createSession("s");
        CompletableFuture<Void> preserve = CompletableFuture.runAsync(() -> s.preserve(1, new Object()), threads);
        assertTrue(inPreserve.await(10, TimeUnit.SECONDS));
        CompletableFuture<Handover> upgrade = blockedCall(o::upgrade); // waits for the preserve in flight
        release.countDown();
        preserve.get(10, TimeUnit.SECONDS);
        Handover handover = upgrade.get(10, TimeUnit.SECONDS);
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        next.registerHandler(new PlainHandler("slow-preserve-v1") {
            @Override
            public boolean canPreserve(Object f) {
                return false;
            }

            @Override
            public void retrieve(FileOpArgs a) {
                a.setFile("x");
            }
        });
        next.loadIncoming(handover);
        assertEquals(List.of(1L), next.retrieveSession("s").tokens(), "the file preserved in flight is in the image");
    }

    /**
     * Issue 10 item 10: a close removes its session from the list before it leaves the gate (as
     * luo_session_release does), so no upgrade can start in between and hand the closed session over
     * empty. To stop the close between the two, a thread holds the outgoing list's read lock; the
     * close then waits for the list's write lock. An upgrade started by that same thread (its read
     * lock is reentrant, so the list does not hold it back) must wait for the close to leave the
     * gate; it is interrupted after it waited. It must never hand over the closing session.
     */
    @Test
    void scenario27_aSessionBeingClosedIsNeverHandedOver() throws Exception {
        Session closing = fill("closing", 1);
        fill("kept", 2);
        ReadWriteLock list = outgoingListLock(luo);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Thread> upgrader = new AtomicReference<>();
        AtomicBoolean upgrading = new AtomicBoolean();
        CompletableFuture<Object> upgrade = CompletableFuture.supplyAsync(() -> {
            upgrader.set(Thread.currentThread());
            list.readLock().lock();
            try {
                held.countDown();
                go.await();
                upgrading.set(true);
                try (PreparedUpgrade prepared = luo.prepareUpgrade()) {
                    return ImageReader.read(prepared.handover().image()).sessions().stream().map(ImageSession::name).toList();
                }
            } catch (LiveUpdateException e) {
                return e.reason();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                list.readLock().unlock();
            }
        }, threads);
        assertTrue(held.await(10, TimeUnit.SECONDS));
        CompletableFuture<Boolean> close = blockedCall(() -> {
            closing.close();
            return true;
        });
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!upgrade.isDone() && !(upgrading.get() && upgrader.get().getState() == Thread.State.WAITING)) {
            assertTrue(System.nanoTime() < deadline, "the upgrade neither ended nor waited");
            Thread.onSpinWait();
        }
        if (!upgrade.isDone()) {
            upgrader.get().interrupt(); // it waits for the close to leave the gate, as it must
        }
        Object outcome = upgrade.get(10, TimeUnit.SECONDS);
        assertTrue(close.get(10, TimeUnit.SECONDS));
        assertEquals(Errno.ECANCELED, outcome, "an upgrade that started during the close handed over " + outcome);
        try (PreparedUpgrade after = luo.prepareUpgrade()) {
            assertEquals(List.of("kept"), ImageReader.read(after.handover().image()).sessions().stream().map(ImageSession::name).toList());
        }
        assertEquals(OrchestratorStatus.Phase.RUNNING, luo.status().phase());
    }

    /** The read-write lock of {@code o}'s outgoing session list. */
    private static ReadWriteLock outgoingListLock(LiveUpdateOrchestrator o) throws ReflectiveOperationException {
        Field field = LiveUpdateOrchestrator.class.getDeclaredField("outgoing");
        field.setAccessible(true);
        return ((SessionList) field.get(o)).lock();
    }

    @Test
    void scenario27_oneUpgradeAtATime() {
        fill("A", 1);
        try (PreparedUpgrade first = luo.prepareUpgrade()) {
            failure(Errno.EDEADLK, () -> luo.createSession("from-the-upgrading-thread"));
            CompletableFuture<Errno> second = CompletableFuture.supplyAsync(() -> {
                try {
                    luo.prepareUpgrade();
                    return null;
                } catch (LiveUpdateException e) {
                    return e.reason();
                }
            }, threads);
            assertEquals(Errno.EBUSY, second.join());
            assertEquals(OrchestratorStatus.Phase.UPGRADING, luo.status().phase());
        }
        assertEquals(OrchestratorStatus.Phase.RUNNING, luo.status().phase());
        failure(Errno.EINVAL, () -> {
            PreparedUpgrade u = luo.prepareUpgrade();
            u.rollback();
            u.commit();
        });
    }

    @Test
    void scenario27_rollbackUnfreezesInReverseAndServesOn() {
        fill("A", 1, 2);
        fill("B", 1);
        log.take();
        PreparedUpgrade upgrade = luo.prepareUpgrade();
        upgrade.rollback();
        assertFalse(upgrade.isCommitted());
        assertEquals(List.of("freeze:A:1", "freeze:A:2", "freeze:B:1", "unfreeze:B:1", "unfreeze:A:1", "unfreeze:A:2"), log.take());
        luo.createSession("C").preserve(1, new TestFile("t-v1", "c"));
        failure(Errno.EINVAL, upgrade::rollback);
        upgrade.close(); // no-op after rollback
    }

    @Test
    void scenario28_anUpgradeWithNoSessionsHandsOverAnEmptyImage() {
        LiveUpdateOrchestrator empty = LiveUpdateOrchestrator.create();
        Handover handover = empty.upgrade();
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        next.loadIncoming(handover);
        assertEquals(List.of(), next.incomingSessionNames());
        failure(Errno.ENOENT, () -> next.retrieveSession("anything"));
        assertEquals(0, handover.descriptors().length);
    }

    @Test
    void scenario29_theGenerationGrowsByOneWithEachUpgradeAndTheSuccessorSeesIt() {
        assertEquals(0, luo.generation());
        LiveUpdateOrchestrator current = luo;
        for (int expected = 1; expected <= 3; expected++) {
            LiveUpdateOrchestrator previous = current;
            previous.createSession("gen").preserve(expected, new TestFile("t-v1", "g" + expected));
            current = Reboot.into(previous, n -> n.registerHandler(new TestHandler("t-v1", new CallLog())));
            assertEquals(expected, current.generation());
            assertEquals(expected, current.status().generation());
            current.retrieveSession("gen").finish();
        }
        // a failed upgrade does not count
        LiveUpdateOrchestrator last = current;
        last.prepareUpgrade().rollback();
        assertEquals(4, last.upgrade().generation());
    }

    /** An orchestrator whose handler's freeze signals {@code inFreeze}, waits for {@code release}, then fails if asked. */
    private LiveUpdateOrchestrator blockingInFreeze(CountDownLatch inFreeze, CountDownLatch release, BooleanSupplier fail) {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.create();
        o.registerHandler(new PlainHandler("slow-v1") {
            @Override
            public void freeze(FileOpArgs a) throws InterruptedException {
                inFreeze.countDown();
                release.await();
                if (fail.getAsBoolean()) {
                    throw new LiveUpdateException(Errno.EIO, "test: freeze fails");
                }
            }
        });
        return o;
    }

    /** Starts {@code call} on its own thread and returns once that thread is blocked, asserting it has not finished. */
    private <T> CompletableFuture<T> blockedCall(Supplier<T> call) throws InterruptedException {
        Thread[] runner = new Thread[1];
        CompletableFuture<T> future = CompletableFuture.supplyAsync(() -> {
            runner[0] = Thread.currentThread();
            return call.get();
        }, threads);
        awaitWaiting(() -> runner[0]);
        assertFalse(future.isDone(), "the call must wait");
        return future;
    }

    /** Waits until the thread {@code thread} names is blocked waiting (not a sleep: its state is polled). */
    private static void awaitWaiting(Supplier<Thread> thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Thread t = thread.get();
            if (t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the thread never waited");
    }

    private static Errno reasonOf(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(10, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof LiveUpdateException l ? l.reason() : null;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("still waiting", e);
        }
    }

    /**
     * Issue 10 item 9: writing an image larger than the heap runs out of memory for real (in a
     * process of its own, {@link LargeImageProcess}, with a small heap): the upgrade fails with
     * ENOMEM, everything is unfrozen, the gate opens, and a smaller upgrade then succeeds.
     */
    @Test
    void anOutOfMemoryErrorWhileWritingTheImageIsEnomemAndTheOrchestratorServesOn(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("output");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-cp", System.getProperty("java.class.path"),
                "-Djava.util.logging.config.file=" + Path.of("src/test/resources/logging.properties").toAbsolutePath(),
                LargeImageProcess.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(50, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertTrue(ended, () -> "the process did not end:\n" + output);
        assertEquals(List.of("failed: ENOMEM caused by java.lang.OutOfMemoryError", "phase: RUNNING", "another thread: passed"),
                output.lines().limit(3).toList(), output);
        assertTrue(output.lines().skip(3).findFirst().orElse("").startsWith("retry: "), output);
        assertEquals(0, process.exitValue(), output);
    }

    @Test
    void freezeDataExactlyAtTheLimitIsAcceptedAndOneByteMoreIsE2big() {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.builder().limits(Limits.defaults().withMaxEntryDataBytes(8)).build();
        CallLog small = new CallLog();
        TestHandler th = new TestHandler("t-v1", small);
        o.registerHandler(th);
        Session s = o.createSession("s");
        s.preserve(1, new TestFile("t-v1", "a"));
        th.freezeData.put(1L, new byte[9]);
        small.take();
        failure(Errno.E2BIG, o::prepareUpgrade);
        assertEquals(List.of("freeze:s:1", "unfreeze:s:1"), small.take(), "a file whose freeze succeeded is unfrozen");
        th.freezeData.put(1L, new byte[8]);
        o.prepareUpgrade().rollback();
    }

    @Test
    void imageLargerThanTheLimitFailsTheUpgradeAndUnfreezes() {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.builder().limits(Limits.defaults().withMaxImageBytes(200)).build();
        CallLog small = new CallLog();
        o.registerHandler(new TestHandler("t-v1", small));
        Session s = o.createSession("s");
        for (int i = 0; i < 5; i++) {
            s.preserve(i, new TestFile("t-v1", "f" + i));
        }
        small.take();
        failure(Errno.E2BIG, o::prepareUpgrade);
        assertEquals(5, small.starting("unfreeze").size());
        s.close();
    }
}
