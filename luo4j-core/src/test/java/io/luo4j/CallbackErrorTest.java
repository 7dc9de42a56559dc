package io.luo4j;

import static io.luo4j.Expect.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 10 item 9: a callback may throw anything, an {@link Error} too, and the orchestrator keeps
 * its state. A callback that answers fails its operation: an {@link OutOfMemoryError} as ENOMEM,
 * any other Error as EIO, with what it threw as the cause; the upgrade's gate opens again. A
 * callback the kernel declares void (unpreserve, unfreeze, finish, an FLB's unpreserve and finish)
 * cannot stop the walk it is part of, whatever it throws. CallbackFailureTest covers exceptions;
 * this covers Errors.
 */
@Timeout(60)
class CallbackErrorTest {
    private final CallLog log = new CallLog();
    private final ErrorHandler handler = new ErrorHandler(log);
    private final LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();

    CallbackErrorTest() {
        luo.registerHandler(handler);
    }

    /**
     * A handler of "err-v1" TestFiles that logs every callback and throws, from the callback and
     * token named in {@link #errors}, the throwable given there.
     */
    private static final class ErrorHandler extends PlainHandler {
        final CallLog log;
        /** "callback:token" to what that callback throws for that token. */
        final Map<String, Supplier<Throwable>> errors = new ConcurrentHashMap<>();

        ErrorHandler(CallLog log) {
            super("err-v1");
            this.log = log;
        }

        void fail(String callback, long token, Supplier<Throwable> error) {
            errors.put(callback + ":" + token, error);
        }

        private void call(String callback, FileOpArgs a) throws Exception {
            log.add(callback + ":" + a.sessionName() + ":" + a.token());
            Supplier<Throwable> error = errors.get(callback + ":" + a.token());
            if (error != null) {
                Throwable t = error.get();
                if (t instanceof Error e) {
                    throw e;
                }
                throw (Exception) t;
            }
        }

        @Override
        public boolean canPreserve(Object file) {
            return file instanceof TestFile f && f.type.equals("err-v1");
        }

        @Override
        public void preserve(FileOpArgs a) throws Exception {
            call("preserve", a);
        }

        @Override
        public void unpreserve(FileOpArgs a) throws Exception {
            call("unpreserve", a);
        }

        @Override
        public void freeze(FileOpArgs a) throws Exception {
            call("freeze", a);
        }

        @Override
        public void unfreeze(FileOpArgs a) throws Exception {
            call("unfreeze", a);
        }

        @Override
        public void retrieve(FileOpArgs a) throws Exception {
            call("retrieve", a);
            a.setFile(new TestFile("err-v1", "back-" + a.token()));
        }

        @Override
        public boolean canFinish(FileOpArgs a) throws Exception {
            call("canFinish", a);
            return true;
        }

        @Override
        public void finish(FileOpArgs a) throws Exception {
            call("finish", a);
        }
    }

    private Session fill(LiveUpdateOrchestrator o, String session, long... tokens) {
        Session s = o.createSession(session);
        for (long token : tokens) {
            s.preserve(token, new TestFile("err-v1", session + token));
        }
        return s;
    }

    /** A successor of {@link #luo} with a handler of its own, which {@code next} receives. */
    private LiveUpdateOrchestrator reboot(ErrorHandler next) {
        return Reboot.into(luo, n -> n.registerHandler(next));
    }

    /** Another thread can pass the gate: nothing is left frozen. */
    private static void assertServing(LiveUpdateOrchestrator o) throws Exception {
        assertEquals(OrchestratorStatus.Phase.RUNNING, o.status().phase());
        Session probe = CompletableFuture.supplyAsync(() -> o.createSession("probe-" + System.nanoTime()))
                .get(10, TimeUnit.SECONDS);
        probe.close();
    }

    @Test
    void anAssertionErrorFromFreezeFailsTheUpgradeWithEioAndTheGateOpens() throws Exception {
        fill(luo, "A", 1, 2);
        fill(luo, "B", 3, 4, 5);
        AssertionError thrown = new AssertionError("freeze of 4 is broken");
        handler.fail("freeze", 4, () -> thrown);
        log.take();
        LiveUpdateException e = failure(Errno.EIO, luo::prepareUpgrade);
        assertSame(thrown, e.getCause());
        assertTrue(e.getMessage().contains("file handler err-v1 freeze (session \"B\", token 4) failed"), e.getMessage());
        assertEquals(List.of("freeze:A:1", "freeze:A:2", "freeze:B:3", "freeze:B:4",
                "unfreeze:B:3", "unfreeze:A:1", "unfreeze:A:2"), log.take(), "everything frozen was unfrozen");
        assertServing(luo);

        handler.errors.clear();
        try (PreparedUpgrade again = luo.prepareUpgrade()) {
            assertEquals(OrchestratorStatus.Phase.UPGRADING, luo.status().phase(), "a retry is not EBUSY");
            assertTrue(again.handover().image().remaining() > 0);
        }
        assertServing(luo);
    }

    @Test
    void anOutOfMemoryErrorFromACallbackIsEnomemAndNothingIsLeftBehind() throws Exception {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space (test)");
        fill(luo, "s", 1);
        handler.fail("freeze", 1, () -> oom);
        LiveUpdateException frozen = failure(Errno.ENOMEM, luo::prepareUpgrade);
        assertSame(oom, frozen.getCause());
        assertServing(luo);

        handler.fail("preserve", 2, () -> oom);
        Session s = luo.createSession("t");
        LiveUpdateException preserve = failure(Errno.ENOMEM, () -> s.preserve(2, new TestFile("err-v1", "x")));
        assertSame(oom, preserve.getCause());
        assertEquals(List.of(), s.tokens(), "nothing is left of the failed preserve");
        handler.errors.clear();
        s.preserve(2, new TestFile("err-v1", "x"));
        assertEquals(List.of(2L), s.tokens());
    }

    @Test
    void errorsFromUnfreezeDoNotStopTheRollback() throws Exception {
        fill(luo, "A", 1, 2);
        fill(luo, "B", 3, 4);
        handler.fail("unfreeze", 3, () -> new AssertionError("unfreeze of 3"));
        handler.fail("unfreeze", 1, () -> new OutOfMemoryError("unfreeze of 1"));
        PreparedUpgrade upgrade = luo.prepareUpgrade();
        log.take();
        upgrade.rollback();
        assertEquals(List.of("unfreeze:B:3", "unfreeze:B:4", "unfreeze:A:1", "unfreeze:A:2"), log.take());
        assertServing(luo);
        handler.errors.clear();
        luo.prepareUpgrade().close(); // rolled back again, through close
        assertServing(luo);
    }

    @Test
    void errorsFromUnfreezeDoNotStopTheUndoOfAFailedFreeze() throws Exception {
        fill(luo, "A", 1, 2);
        fill(luo, "B", 3, 4);
        handler.fail("freeze", 4, () -> new AssertionError("freeze of 4"));
        handler.fail("unfreeze", 3, () -> new StackOverflowError());
        handler.fail("unfreeze", 1, () -> new AssertionError("unfreeze of 1"));
        log.take();
        failure(Errno.EIO, luo::prepareUpgrade);
        assertEquals(List.of("freeze:A:1", "freeze:A:2", "freeze:B:3", "freeze:B:4",
                "unfreeze:B:3", "unfreeze:A:1", "unfreeze:A:2"), log.take());
        assertServing(luo);
    }

    @Test
    void errorsFromUnpreserveDoNotStopTheClose() throws Exception {
        TestFile reused = new TestFile("err-v1", "reused");
        Session s = fill(luo, "s", 1, 2);
        s.preserve(3, reused);
        handler.fail("unpreserve", 3, () -> new AssertionError("unpreserve of 3"));
        handler.fail("unpreserve", 2, () -> new OutOfMemoryError("unpreserve of 2"));
        log.take();
        s.close();
        assertEquals(List.of("unpreserve:s:3", "unpreserve:s:2", "unpreserve:s:1"), log.take());
        assertEquals(List.of(), luo.status().outgoing(), "the session is gone");
        Session again = luo.createSession("s");
        again.preserve(1, reused); // no longer counted as preserved
        assertServing(luo);
    }

    @Test
    void errorsFromFinishDoNotStopTheFinish() {
        fill(luo, "s", 1, 2, 3);
        ErrorHandler next = new ErrorHandler(log);
        next.fail("finish", 3, () -> new AssertionError("finish of 3"));
        next.fail("finish", 2, () -> new OutOfMemoryError("finish of 2"));
        LiveUpdateOrchestrator successor = reboot(next);
        Session in = successor.retrieveSession("s");
        TestFile file = in.retrieve(2, TestFile.class);
        log.take();
        in.finish();
        assertEquals(List.of("canFinish:s:1", "canFinish:s:2", "canFinish:s:3", "finish:s:3", "finish:s:2", "finish:s:1"),
                log.take());
        assertEquals(List.of(), successor.incomingSessionNames());
        successor.createSession("next").preserve(2, file); // finished: the file is the application's again
    }

    @Test
    void anErrorFromRetrieveIsEioAndIsNotRetried() {
        fill(luo, "s", 1);
        ErrorHandler next = new ErrorHandler(log);
        AssertionError thrown = new AssertionError("retrieve of 1");
        next.fail("retrieve", 1, () -> thrown);
        Session in = reboot(next).retrieveSession("s");
        log.take();
        LiveUpdateException first = failure(Errno.EIO, () -> in.retrieve(1));
        assertSame(thrown, first.getCause());
        assertSame(first, failure(Errno.EIO, () -> in.retrieve(1)).getCause(), "the same failure, reported again");
        assertEquals(List.of("retrieve:s:1"), log.take(), "the handler was called once");
    }

    @Test
    void anErrorFromCanFinishFailsTheFinishAndNothingIsFinished() {
        fill(luo, "s", 1, 2);
        ErrorHandler next = new ErrorHandler(log);
        next.fail("canFinish", 2, () -> new AssertionError("canFinish of 2"));
        LiveUpdateOrchestrator successor = reboot(next);
        Session in = successor.retrieveSession("s");
        log.take();
        failure(Errno.EIO, in::finish);
        assertEquals(List.of("canFinish:s:1", "canFinish:s:2"), log.take());
        assertEquals(List.of("s"), successor.incomingSessionNames());
        next.errors.clear();
        in.finish();
        assertEquals(List.of(), successor.incomingSessionNames());
    }

    @Test
    void anErrorFromAFinishAtTheNextCommitStillCommits() {
        fill(luo, "forgotten", 1, 2);
        ErrorHandler next = new ErrorHandler(log);
        next.fail("finish", 2, () -> new AssertionError("finish of 2"));
        LiveUpdateOrchestrator successor = reboot(next);
        successor.deserialize();
        log.take();
        successor.upgrade(); // commits: the unretrieved session is discarded
        assertEquals(List.of("finish:forgotten:2", "finish:forgotten:1"), log.take());
        assertEquals(OrchestratorStatus.Phase.HANDED_OVER, successor.status().phase());
        assertEquals(List.of(), successor.status().incoming());
    }

    @Test
    void errorsFromFlbCallbacksFollowTheSameRules() throws Exception {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.create();
        ErrorHandler h = new ErrorHandler(log);
        o.registerHandler(h);
        Map<String, Supplier<Throwable>> flbErrors = new ConcurrentHashMap<>();
        Flb flb = new PlainFlb("flb-err-v1") {
            private void call(String callback) {
                log.add("flb-" + callback);
                Supplier<Throwable> error = flbErrors.get(callback);
                if (error != null) {
                    throw (Error) error.get();
                }
            }

            @Override
            public void preserve(FlbOpArgs a) {
                call("preserve");
                a.setObject("shared");
            }

            @Override
            public void unpreserve(FlbOpArgs a) {
                call("unpreserve");
            }
        };
        o.registerFlb(h, flb);
        Session s = o.createSession("s");
        flbErrors.put("preserve", () -> new AssertionError("flb preserve"));
        failure(Errno.EIO, () -> s.preserve(1, new TestFile("err-v1", "a")));
        assertEquals(List.of(), s.tokens());
        assertEquals(0, o.status().flbs().get(0).users());
        flbErrors.clear();
        s.preserve(1, new TestFile("err-v1", "a"));
        flbErrors.put("unpreserve", () -> new OutOfMemoryError("flb unpreserve"));
        log.take();
        s.close();
        assertEquals(List.of("unpreserve:s:1", "flb-unpreserve"), log.take());
        assertEquals(0, o.status().flbs().get(0).users());
        assertServing(o);
    }

    @Test
    void anErrorFromTheFileTablesAcquireFailsThePreserveWithEioNamingTheSession() {
        AssertionError thrown = new AssertionError("acquire");
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.builder().fileTable(new CountingFileTable() {
            @Override
            public synchronized Object acquire(int fd) {
                throw thrown;
            }
        }).build();
        o.registerHandler(new ErrorHandler(log));
        Session s = o.createSession("s");
        LiveUpdateException e = failure(Errno.EIO, () -> s.preserveDescriptor(1, 3));
        assertSame(thrown, e.getCause());
        assertTrue(e.getMessage().startsWith("EIO: session \"s\" failed: java.lang.AssertionError: acquire"), e.getMessage());
        assertEquals(List.of(), s.tokens());
    }

    @Test
    void anErrorFromTheFileTablesReleaseDoesNotStopTheClose() {
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger jul = Logger.getLogger("io.luo4j");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level before = jul.getLevel();
        jul.setLevel(Level.WARNING);
        jul.addHandler(capture);
        try {
            closeWithAFailingRelease();
        } finally {
            jul.removeHandler(capture);
            jul.setLevel(before);
        }
        assertEquals(List.of("releasing the file of token 2 in session \"s\" failed and was skipped; the orchestrator continues",
                "releasing the file of token 1 in session \"s\" failed and was skipped; the orchestrator continues"), warnings);
    }

    private void closeWithAFailingRelease() {
        CountingFileTable table = new CountingFileTable() {
            @Override
            public synchronized void release(Object file) {
                super.release(file);
                throw new AssertionError("release of " + file);
            }
        };
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.builder().fileTable(table).build();
        o.registerHandler(new ErrorHandler(log));
        Session s = o.createSession("s");
        TestFile first = new TestFile("err-v1", "1");
        TestFile second = new TestFile("err-v1", "2");
        s.preserveDescriptor(1, table.add(first));
        s.preserveDescriptor(2, table.add(second));
        log.take();
        s.close();
        assertEquals(List.of("unpreserve:s:2", "unpreserve:s:1"), log.take());
        assertEquals(0, table.references(first));
        assertEquals(0, table.references(second));
        assertEquals(List.of(), o.status().outgoing());
    }
}
