package io.luo4j;

import static io.luo4j.Expect.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.OrchestratorStatus.SessionStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenarios 6-14 and 55: creating, retrieving, naming and closing sessions. */
class SessionTest {
    private final CallLog log = new CallLog();
    private final TestHandler handler = new TestHandler("t-v1", log);
    private final LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();

    SessionTest() {
        luo.registerHandler(handler);
    }

    private LiveUpdateOrchestrator reboot() {
        return Reboot.into(luo, next -> next.registerHandler(new TestHandler("t-v1", log)));
    }

    @Test
    void scenario06_emptyOr64ByteNameIsEinvalAnd63BytesWorks() {
        failure(Errno.EINVAL, () -> luo.createSession(""));
        failure(Errno.EINVAL, () -> luo.createSession(null));
        failure(Errno.EINVAL, () -> luo.createSession("x".repeat(64)));
        failure(Errno.EINVAL, () -> luo.createSession("ü".repeat(32))); // 64 bytes of UTF-8
        failure(Errno.EINVAL, () -> luo.createSession("a\0b"));
        Session s = luo.createSession("x".repeat(63));
        assertEquals("x".repeat(63), s.name());
        assertEquals(1, luo.status().outgoing().size());
    }

    @Test
    void scenario07_twoOutgoingSessionsWithTheSameNameIsEexist() {
        luo.createSession("same");
        failure(Errno.EEXIST, () -> luo.createSession("same"));
        luo.createSession("other");
        assertEquals(List.of("same", "other"), luo.status().outgoing().stream().map(SessionStatus::name).toList());
    }

    @Test
    void scenario08_closeUnpreservesEveryFileNewestFirstAndFreesTheName() {
        Session s = luo.createSession("s");
        for (long token = 1; token <= 3; token++) {
            s.preserve(token, new TestFile("t-v1", "f" + token));
        }
        log.take();
        s.close();
        assertEquals(List.of("unpreserve:s:3", "unpreserve:s:2", "unpreserve:s:1"), log.take());
        assertEquals("data-2", handler.dataSeen.get("unpreserve:2"));
        assertEquals("private-2", handler.privateSeen.get("unpreserve:2"));
        assertTrue(luo.status().outgoing().isEmpty());
        Session again = luo.createSession("s");
        again.preserve(1, new TestFile("t-v1", "f1-new"));
        s.close(); // closing twice does nothing
        assertEquals(List.of(), log.starting("unpreserve"));
        failure(Errno.EBADF, () -> s.preserve(9, new TestFile("t-v1", "late")));
    }

    @Test
    void scenario08_filesUnpreservedOnCloseCanBePreservedAgain() {
        TestFile file = new TestFile("t-v1", "f");
        Session s = luo.createSession("s");
        s.preserve(1, file);
        s.close();
        Session t = luo.createSession("t");
        t.preserve(1, file);
        assertEquals(List.of("preserve:s:1", "unpreserve:s:1", "preserve:t:1"), log.take());
        assertEquals(List.of(1L), t.tokens());
        assertEquals(List.of("t"), luo.status().outgoing().stream().map(SessionStatus::name).toList());
    }

    @Test
    void scenario09_retrievingANameThatWasNotPreservedIsEnoent() {
        luo.createSession("kept");
        LiveUpdateOrchestrator next = reboot();
        failure(Errno.ENOENT, () -> next.retrieveSession("never-created"));
        // a name that exists only as an outgoing session of this process is not incoming either
        next.createSession("local");
        failure(Errno.ENOENT, () -> next.retrieveSession("local"));
        assertEquals("kept", next.retrieveSession("kept").name());
    }

    @Test
    void scenario09_coldStartHasNoIncomingSessions() {
        failure(Errno.ENOENT, () -> luo.retrieveSession("anything"));
        assertEquals(List.of(), luo.incomingSessionNames());
    }

    @Test
    void scenario10_retrievingTheSameIncomingSessionTwiceIsEinval() {
        luo.createSession("once");
        LiveUpdateOrchestrator next = reboot();
        Session first = next.retrieveSession("once");
        failure(Errno.EINVAL, () -> next.retrieveSession("once"));
        assertTrue(first.isIncoming());
    }

    @Test
    void scenario11_nameIsReturnedExactlyForOutgoingAndIncomingSessions() {
        String name = "naïve-session-ü-" + "n".repeat(40); // 60 bytes of UTF-8
        Session out = luo.createSession(name);
        assertEquals(name, out.name());
        assertFalse(out.isIncoming());
        Session in = reboot().retrieveSession(name);
        assertEquals(name, in.name());
        assertTrue(in.isIncoming());
    }

    @Test
    void scenario12_outgoingOnlyOperationsOnIncomingSessionsAndViceVersaAreEinval() {
        Session out = luo.createSession("s");
        out.preserve(1, new TestFile("t-v1", "f"));
        failure(Errno.EINVAL, () -> out.retrieve(1));
        failure(Errno.EINVAL, out::finish);
        failure(Errno.EINVAL, () -> out.retrieveDescriptor(1));
        LiveUpdateOrchestrator next = reboot();
        next.createSession("dummy");
        Session in = next.retrieveSession("s");
        failure(Errno.EINVAL, () -> in.preserve(2, new TestFile("t-v1", "g")));
        failure(Errno.EINVAL, () -> in.preserveDescriptor(2, 1));
        assertEquals(List.of(1L), in.tokens());
    }

    @Test
    void scenario13_closingARetrievedSessionFinishesIt() {
        luo.createSession("s").preserve(1, new TestFile("t-v1", "f"));
        LiveUpdateOrchestrator next = reboot();
        log.take();
        Session in = next.retrieveSession("s");
        in.close();
        assertEquals(List.of("canFinish:s:1", "finish:s:1"), log.take());
        failure(Errno.ENOENT, () -> next.retrieveSession("s"));
        assertTrue(next.status().incoming().isEmpty());
    }

    @Test
    void scenario13_whenFinishFailsCloseReportsItAndTheSessionStays() {
        luo.createSession("s").preserve(1, new TestFile("t-v1", "f"));
        CallLog nextLog = new CallLog();
        TestHandler nextHandler = new TestHandler("t-v1", nextLog);
        nextHandler.notReady.add(1L);
        LiveUpdateOrchestrator next = Reboot.into(luo, n -> n.registerHandler(nextHandler));
        Session in = next.retrieveSession("s");
        failure(Errno.EBUSY, in::close);
        assertEquals(List.of("canFinish:s:1"), nextLog.take());
        assertEquals(List.of("s"), next.incomingSessionNames());
        assertEquals(List.of(1L), in.tokens());
        assertEquals("data-1", ((TestFile) in.retrieve(1)).id); // still usable

        nextHandler.notReady.clear();
        in.close();
        assertEquals(List.of("retrieve:s:1", "canFinish:s:1", "finish:s:1"), nextLog.take());
        assertEquals(List.of(), next.incomingSessionNames());
    }

    @Test
    void scenario14_tenThousandSessionsWithoutQuadraticLookups() {
        int n = 10_000;
        SessionName.COMPARISONS.reset();
        for (int i = 0; i < n; i++) {
            luo.createSession("many-" + i).preserve(i, new TestFile("t-v1", "f" + i));
        }
        LiveUpdateOrchestrator next = reboot();
        List<String> names = next.incomingSessionNames();
        assertEquals(n, names.size());
        assertEquals("many-0", names.get(0));
        assertEquals("many-9999", names.get(n - 1));
        for (int i = n - 1; i >= 0; i--) {
            Session in = next.retrieveSession("many-" + i);
            assertEquals("data-" + i, ((TestFile) in.retrieve(i)).id);
            in.finish();
        }
        // hashed lookups compare a handful of keys per operation; a list walk would compare ~n^2/2 = 50,000,000
        long comparisons = SessionName.COMPARISONS.sum();
        assertTrue(comparisons >= n && comparisons < 4L * n, "name comparisons: " + comparisons);
        assertTrue(next.incomingSessionNames().isEmpty());
    }

    @Test
    void namesWithTheSameHashAreStillDifferentSessions() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        luo.createSession("Aa").preserve(1, new TestFile("t-v1", "a"));
        luo.createSession("BB").preserve(2, new TestFile("t-v1", "b"));
        failure(Errno.EEXIST, () -> luo.createSession("Aa"));
        LiveUpdateOrchestrator next = reboot();
        assertEquals(List.of(1L), next.retrieveSession("Aa").tokens());
        assertEquals(List.of(2L), next.retrieveSession("BB").tokens());
    }

    @Test
    void aNameWithAnUnpairedSurrogateIsEinvalNeverWrittenAsAQuestionMark() {
        for (String name : List.of("a\uD800", "a\uD801", "\uDC00b", "x\uDBFF\uDBFFy", "\uDFFF\uD800")) {
            LiveUpdateException e = failure(Errno.EINVAL, () -> luo.createSession(name));
            assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
        }
        assertTrue(failure(Errno.EINVAL, () -> luo.createSession("ab\uDC00")).getMessage().contains("at index 2"));
        failure(Errno.ENOENT, () -> luo.retrieveSession("a\uD800"));
        assertEquals(List.of(), luo.status().outgoing());
        luo.createSession("a?"); // the name a lone surrogate would have been written as is still free
        String emoji = "smile-\uD83D\uDE00"; // a pair is one character, four bytes of UTF-8
        luo.createSession(emoji).preserve(1, new TestFile("t-v1", "e"));
        LiveUpdateOrchestrator next = reboot();
        assertEquals(List.of("a?", emoji), next.incomingSessionNames());
        assertEquals(emoji, next.retrieveSession(emoji).name());
    }

    @Test
    void aNulAnywhereInTheNameIsEinval() {
        failure(Errno.EINVAL, () -> luo.createSession("\0abc"));
        failure(Errno.EINVAL, () -> luo.createSession("abc\0"));
    }

    @Test
    void scenario55_repeatedCreatesWithATakenNameDoNotGrowTheImage() {
        luo.createSession("taken");
        long before = imageSizeNow();
        for (int i = 0; i < 1000; i++) {
            failure(Errno.EEXIST, () -> luo.createSession("taken"));
        }
        assertEquals(before, imageSizeNow());
        assertEquals(1, luo.status().outgoing().size());
    }

    /** The size an upgrade would hand over now, found by preparing one and rolling it back. */
    private long imageSizeNow() {
        try (PreparedUpgrade upgrade = luo.prepareUpgrade()) {
            return upgrade.handover().image().remaining();
        }
    }

    @Test
    void sessionLimitIsConfigurableAndEnospcPastIt() {
        LiveUpdateOrchestrator small = LiveUpdateOrchestrator.builder().limits(Limits.defaults().withMaxSessions(3)).build();
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sessions.add(small.createSession("s" + i));
        }
        failure(Errno.ENOSPC, () -> small.createSession("s3"));
        sessions.get(0).close();
        assertEquals("s3", small.createSession("s3").name());
    }

    @Test
    void outgoingAndIncomingSessionsMayShareAName() {
        luo.createSession("shared").preserve(1, new TestFile("t-v1", "f"));
        LiveUpdateOrchestrator next = reboot();
        Session in = next.retrieveSession("shared");
        Session out = next.createSession("shared");
        assertTrue(in.isIncoming());
        assertFalse(out.isIncoming());
    }
}
