package io.luo4j;

import static io.luo4j.Expect.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a failing callback is reported. A callback that answers (canPreserve, identity, preserve,
 * freeze, retrieve, canFinish; an FLB's preserve and retrieve) fails the operation: EIO naming the
 * handler, the callback and, for a file, its session and token, with what the callback threw as the
 * cause. A callback the kernel declares void (unpreserve, unfreeze, finish) cannot stop the
 * orchestrator: its failure is logged, with the same name, and the operation completes.
 */
class CallbackFailureTest {
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger("io.luo4j");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private Level levelBefore;

    /** Lets warnings through to {@link #capture} only (the test logging configuration shows errors alone). */
    @BeforeEach
    void captureLog() {
        levelBefore = jul.getLevel();
        jul.setLevel(Level.WARNING);
        jul.setUseParentHandlers(false);
        jul.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        jul.removeHandler(capture);
        jul.setUseParentHandlers(true);
        jul.setLevel(levelBefore);
    }

    /** A handler of TestFiles that throws from the callback named {@code failing}, and records what finish saw. */
    private static final class FailingHandler extends PlainHandler {
        final String failing;
        RetrieveStatus finishSaw;
        LiveUpdateException finishSawFailure;

        FailingHandler(String failing) {
            super("fail-v1");
            this.failing = failing;
        }

        private void maybeFail(String callback) {
            if (callback.equals(failing)) {
                throw new IllegalStateException("boom in " + callback);
            }
        }

        @Override
        public boolean canPreserve(Object file) {
            maybeFail("canPreserve");
            return file instanceof TestFile;
        }

        @Override
        public Object identity(Object file) throws Exception {
            maybeFail("identity");
            return super.identity(file);
        }

        @Override
        public void preserve(FileOpArgs args) {
            maybeFail("preserve");
        }

        @Override
        public void unpreserve(FileOpArgs args) {
            maybeFail("unpreserve");
        }

        @Override
        public void freeze(FileOpArgs args) {
            maybeFail("freeze");
        }

        @Override
        public void unfreeze(FileOpArgs args) {
            maybeFail("unfreeze");
        }

        @Override
        public void retrieve(FileOpArgs args) {
            maybeFail("retrieve");
            args.setFile(new TestFile("fail-v1", "back"));
        }

        @Override
        public boolean canFinish(FileOpArgs args) {
            maybeFail("canFinish");
            return true;
        }

        @Override
        public void finish(FileOpArgs args) {
            finishSaw = args.retrieveStatus();
            finishSawFailure = args.retrieveFailure();
            maybeFail("finish");
        }
    }

    private static void assertEioNaming(LiveUpdateException e, String what, String callback) {
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("boom in " + callback, e.getCause().getMessage());
    }

    private LogRecord onlyWarning() {
        List<LogRecord> warnings = logged.stream().filter(r -> r.getLevel() == Level.WARNING).toList();
        assertEquals(1, warnings.size(), () -> "warnings: " + warnings.stream().map(LogRecord::getMessage).toList());
        return warnings.get(0);
    }

    private static LiveUpdateOrchestrator withHandler(FileHandler handler) {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        luo.registerHandler(handler);
        return luo;
    }

    @Test
    void aFailingProbeOrIdentityFailsThePreserveWithEioNamingTheHandler() {
        for (String callback : List.of("canPreserve", "identity")) {
            Session s = withHandler(new FailingHandler(callback)).createSession("s");
            LiveUpdateException e = failure(Errno.EIO, () -> s.preserve(1, new TestFile("fail-v1", "a")));
            assertEioNaming(e, "file handler fail-v1 " + callback + " failed", callback);
            assertEquals(List.of(), s.tokens());
        }
    }

    @ParameterizedTest(name = "a failing {0} is EIO naming handler, callback, session and token")
    @ValueSource(strings = {"preserve", "freeze", "retrieve", "canFinish"})
    void aFailingFileCallbackIsEioNamingTheHandlerCallbackSessionAndToken(String callback) {
        LiveUpdateOrchestrator luo = withHandler(new FailingHandler(callback.equals("preserve") || callback.equals("freeze") ? callback : ""));
        Session s = luo.createSession("s");
        String what = "file handler fail-v1 " + callback + " (session \"s\", token 7) failed";
        switch (callback) {
            case "preserve" -> assertEioNaming(failure(Errno.EIO, () -> s.preserve(7, new TestFile("fail-v1", "a"))), what, callback);
            case "freeze" -> {
                s.preserve(7, new TestFile("fail-v1", "a"));
                assertEioNaming(failure(Errno.EIO, luo::prepareUpgrade), what, callback);
            }
            default -> {
                s.preserve(7, new TestFile("fail-v1", "a"));
                LiveUpdateOrchestrator next = Reboot.into(luo, n -> n.registerHandler(new FailingHandler(callback)));
                Session in = next.retrieveSession("s");
                if (callback.equals("retrieve")) {
                    assertEioNaming(failure(Errno.EIO, () -> in.retrieve(7)), what, callback);
                } else {
                    assertEioNaming(failure(Errno.EIO, in::finish), what, callback);
                }
            }
        }
    }

    @Test
    void finishIsToldThatTheRetrieveFailedAndWhy() {
        LiveUpdateOrchestrator luo = withHandler(new FailingHandler(""));
        luo.createSession("s").preserve(1, new TestFile("fail-v1", "a"));
        FailingHandler next = new FailingHandler("retrieve");
        Session in = Reboot.into(luo, n -> n.registerHandler(next)).retrieveSession("s");
        LiveUpdateException failed = failure(Errno.EIO, () -> in.retrieve(1));
        in.finish();
        assertEquals(RetrieveStatus.FAILED, next.finishSaw);
        assertSame(failed, next.finishSawFailure);
    }

    @Test
    void aFailingUnpreserveIsLoggedAndTheSessionClosesAnyway() {
        LiveUpdateOrchestrator luo = withHandler(new FailingHandler("unpreserve"));
        Session s = luo.createSession("s");
        s.preserve(3, new TestFile("fail-v1", "a"));
        s.close();
        LogRecord warning = onlyWarning();
        assertEquals("file handler fail-v1 unpreserve (session \"s\", token 3) failed and was skipped; the orchestrator continues",
                warning.getMessage());
        assertInstanceOf(LiveUpdateException.class, warning.getThrown(), "a foreign exception is logged with its trace");
        assertEquals(List.of(), luo.status().outgoing());
    }

    @Test
    void aFailingUnfreezeIsLoggedAndTheRollbackCompletes() {
        LiveUpdateOrchestrator luo = withHandler(new FailingHandler("unfreeze"));
        luo.createSession("s").preserve(4, new TestFile("fail-v1", "a"));
        luo.prepareUpgrade().rollback();
        assertTrue(onlyWarning().getMessage().startsWith("file handler fail-v1 unfreeze (session \"s\", token 4) failed"));
        assertEquals(OrchestratorStatus.Phase.RUNNING, luo.status().phase());
    }

    @Test
    void aFailingFinishIsLoggedAndTheSessionIsFinishedAnyway() {
        LiveUpdateOrchestrator luo = withHandler(new FailingHandler(""));
        luo.createSession("s").preserve(5, new TestFile("fail-v1", "a"));
        LiveUpdateOrchestrator next = Reboot.into(luo, n -> n.registerHandler(new FailingHandler("finish")));
        next.retrieveSession("s").finish();
        assertTrue(onlyWarning().getMessage().startsWith("file handler fail-v1 finish (session \"s\", token 5) failed"));
        assertEquals(List.of(), next.incomingSessionNames());
    }

    @Test
    void aFailedFreezeIsLoggedInOneLineWhenTheHandlerReportedItItself() {
        TestHandler handler = new TestHandler("t-v1", new CallLog());
        handler.failFreeze.add(1L);
        LiveUpdateOrchestrator luo = withHandler(handler);
        luo.createSession("s").preserve(1, new TestFile("t-v1", "a"));
        failure(Errno.EIO, luo::prepareUpgrade);
        LogRecord warning = onlyWarning();
        assertEquals("freeze failed for token 1 (t-v1) in session \"s\"; unfreezing the 0 files frozen before it:"
                + " EIO: test: freeze of token 1 fails", warning.getMessage());
        assertNull(warning.getThrown(), "a LiveUpdateException without a cause needs no trace");
    }

    /** An FLB that throws from the callback named {@code failing}; it checks it is told which FLB it is. */
    private static final class FailingFlb implements Flb {
        final String failing;

        FailingFlb(String failing) {
            this.failing = failing;
        }

        @Override
        public String compatible() {
            return "flb-fail-v1";
        }

        private void maybeFail(FlbOpArgs args, String callback) {
            assertSame(this, args.flb());
            if (callback.equals(failing)) {
                throw new IllegalStateException("boom in " + callback);
            }
        }

        @Override
        public void preserve(FlbOpArgs args) {
            maybeFail(args, "preserve");
            args.setObject("shared");
        }

        @Override
        public void unpreserve(FlbOpArgs args) {
            maybeFail(args, "unpreserve");
        }

        @Override
        public void retrieve(FlbOpArgs args) {
            maybeFail(args, "retrieve");
            args.setObject("shared");
        }

        @Override
        public void finish(FlbOpArgs args) {
            maybeFail(args, "finish");
        }
    }

    private static LiveUpdateOrchestrator withFlb(Flb flb) {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        FileHandler handler = new TestHandler("t-v1", new CallLog());
        luo.registerHandler(handler);
        luo.registerFlb(handler, flb);
        return luo;
    }

    @Test
    void aFailingFlbPreserveOrRetrieveIsEioNamingTheFlb() {
        LiveUpdateOrchestrator luo = withFlb(new FailingFlb("preserve"));
        Session s = luo.createSession("s");
        assertEioNaming(failure(Errno.EIO, () -> s.preserve(1, new TestFile("t-v1", "a"))), "FLB flb-fail-v1 preserve failed", "preserve");

        LiveUpdateOrchestrator ok = withFlb(new FailingFlb(""));
        ok.createSession("s").preserve(1, new TestFile("t-v1", "a"));
        FailingFlb next = new FailingFlb("retrieve");
        LiveUpdateOrchestrator successor = Reboot.into(ok, n -> {
            FileHandler handler = new TestHandler("t-v1", new CallLog());
            n.registerHandler(handler);
            n.registerFlb(handler, next);
        });
        assertEioNaming(failure(Errno.EIO, () -> successor.flbIncoming(next)), "FLB flb-fail-v1 retrieve failed", "retrieve");
    }

    @Test
    void aFailingFlbUnpreserveIsLogged() {
        LiveUpdateOrchestrator luo = withFlb(new FailingFlb("unpreserve"));
        Session s = luo.createSession("s");
        s.preserve(1, new TestFile("t-v1", "a"));
        s.close();
        assertEquals("FLB flb-fail-v1 unpreserve failed and was skipped; the orchestrator continues", onlyWarning().getMessage());
    }

    @Test
    void anFlbThatCannotBeRetrievedForItsFinishIsLeftUnfinishedAndLogged() {
        LiveUpdateOrchestrator luo = withFlb(new FailingFlb(""));
        luo.createSession("s").preserve(1, new TestFile("t-v1", "a"));
        LiveUpdateOrchestrator next = Reboot.into(luo, n -> {
            FileHandler handler = new TestHandler("t-v1", new CallLog());
            n.registerHandler(handler);
            n.registerFlb(handler, new FailingFlb("retrieve"));
        });
        next.retrieveSession("s").finish();
        assertTrue(onlyWarning().getMessage().startsWith("FLB flb-fail-v1 could not be retrieved for its finish; it is left unfinished"),
                onlyWarning().getMessage());
    }

    @Test
    void aFailingFlbFinishIsLogged() {
        LiveUpdateOrchestrator luo = withFlb(new FailingFlb(""));
        luo.createSession("s").preserve(1, new TestFile("t-v1", "a"));
        FailingFlb nextFlb = new FailingFlb("finish");
        LiveUpdateOrchestrator next = Reboot.into(luo, n -> {
            FileHandler handler = new TestHandler("t-v1", new CallLog());
            n.registerHandler(handler);
            n.registerFlb(handler, nextFlb);
        });
        next.retrieveSession("s").finish();
        assertEquals("FLB flb-fail-v1 finish failed and was skipped; the orchestrator continues", onlyWarning().getMessage());
        failure(Errno.ENODATA, () -> next.flbIncoming(nextFlb)); // finished all the same
    }
}
