package io.luo4j;

import static io.luo4j.Expect.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenarios 30-39: deserializing, retrieving and finishing in the successor. */
class SuccessorTest {
    private final CallLog log = new CallLog();
    private final LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
    private final CallLog nextLog = new CallLog();
    private final TestHandler nextHandler = new TestHandler("t-v1", nextLog);

    SuccessorTest() {
        luo.registerHandler(new TestHandler("t-v1", log));
    }

    private Session fill(String session, long... tokens) {
        Session s = luo.createSession(session);
        for (long token : tokens) {
            s.preserve(token, new TestFile("t-v1", session + token));
        }
        return s;
    }

    private LiveUpdateOrchestrator reboot() {
        return Reboot.into(luo, n -> n.registerHandler(nextHandler));
    }

    @Test
    void scenario30_unknownCompatibleIsEnoentAndEveryLaterTryReportsTheSame() {
        luo.registerHandler(new PlainHandler("unknown-in-successor-v1") {
            @Override
            public boolean canPreserve(Object f) {
                return f instanceof String;
            }
        });
        fill("good", 1);
        luo.createSession("bad").preserve(2, "a string file");
        LiveUpdateOrchestrator next = reboot(); // only t-v1 is registered in the successor
        LiveUpdateException first = failure(Errno.ENOENT, next::deserialize);
        assertTrue(first.getMessage().contains("unknown-in-successor-v1"), first.getMessage());
        LiveUpdateException second = failure(Errno.ENOENT, () -> next.retrieveSession("good"));
        assertEquals(first.getMessage(), second.getMessage());
        failure(Errno.ENOENT, next::incomingSessionNames);
        // nothing half-restored: the good session was not published either
        assertEquals(List.of(), next.status().incoming());
        assertEquals(List.of(), nextLog.take());
    }

    @Test
    void scenario31_filesAreRetrievedInAnyOrderWithTheirSerializedData() {
        fill("s", 1, 2, 3);
        Session in = reboot().retrieveSession("s");
        assertEquals("data-3", in.retrieve(3, TestFile.class).id);
        assertEquals("data-1", in.retrieve(1, TestFile.class).id);
        assertEquals("data-2", in.retrieve(2, TestFile.class).id);
        assertEquals(List.of("retrieve:s:3", "retrieve:s:1", "retrieve:s:2"), nextLog.take());
        assertEquals("data-3", nextHandler.dataSeen.get("retrieve:3"));
    }

    @Test
    void scenario32_retrievingATokenTwiceGivesTheSameFileAndCallsRetrieveOnce() {
        fill("s", 1);
        Session in = reboot().retrieveSession("s");
        Object first = in.retrieve(1);
        Object second = in.retrieve(1);
        assertSame(first, second);
        assertEquals(List.of("retrieve:s:1"), nextLog.take());
    }

    @Test
    void scenario33_retrievingATokenThatDoesNotExistIsEnoent() {
        fill("s", 1);
        fill("empty");
        LiveUpdateOrchestrator next = reboot();
        failure(Errno.ENOENT, () -> next.retrieveSession("s").retrieve(2));
        failure(Errno.ENOENT, () -> next.retrieveSession("empty").retrieve(1));
        assertEquals(List.of(), nextLog.take());
    }

    @Test
    void scenario34_aFailedRetrieveIsNotRetried() {
        fill("s", 1, 2);
        nextHandler.failRetrieve.add(1L);
        nextHandler.failingWith(Errno.ENOMEM);
        Session in = reboot().retrieveSession("s");
        failure(Errno.ENOMEM, () -> in.retrieve(1));
        nextHandler.failRetrieve.clear(); // the handler would succeed now, but is not asked again
        LiveUpdateException again = failure(Errno.ENOMEM, () -> in.retrieve(1));
        assertTrue(again.getMessage().contains("not retried"), again.getMessage());
        assertEquals(List.of("retrieve:s:1"), nextLog.take());
        in.retrieve(2);
        in.finish();
        assertEquals(RetrieveStatus.FAILED, nextHandler.statusSeen.get(1L));
        assertEquals(RetrieveStatus.RETRIEVED, nextHandler.statusSeen.get(2L));
    }

    @Test
    void scenario34_aRetrieveThatSetsNoFileFails() {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.create();
        o.registerHandler(new PlainHandler("lazy-v1"));
        o.createSession("s").preserve(1, new Object());
        LiveUpdateOrchestrator next = Reboot.into(o, n -> n.registerHandler(new PlainHandler("lazy-v1"))); // retrieve sets no file
        failure(Errno.EIO, () -> next.retrieveSession("s").retrieve(1));
    }

    @Test
    void scenario35_ifAnyFileCannotFinishFinishIsEbusyAndNothingIsFinished() {
        fill("s", 1, 2, 3);
        nextHandler.notReady.add(2L);
        LiveUpdateOrchestrator next = reboot();
        Session in = next.retrieveSession("s");
        failure(Errno.EBUSY, in::finish);
        assertEquals(List.of("canFinish:s:1", "canFinish:s:2"), nextLog.take());
        assertEquals(List.of(1L, 2L, 3L), in.tokens());
        assertEquals(List.of("s"), next.incomingSessionNames());
        nextHandler.notReady.clear();
        in.finish();
        assertEquals(List.of("canFinish:s:1", "canFinish:s:2", "canFinish:s:3", "finish:s:3", "finish:s:2", "finish:s:1"),
                nextLog.take());
    }

    @Test
    void scenario36_finishRunsNewestFirstOnEveryFileAndTellsWhetherItWasRetrieved() {
        fill("s", 10, 20, 30);
        Session in = reboot().retrieveSession("s");
        in.retrieve(20);
        nextLog.take();
        in.finish();
        assertEquals(List.of("canFinish:s:10", "canFinish:s:20", "canFinish:s:30", "finish:s:30", "finish:s:20", "finish:s:10"),
                nextLog.take());
        assertEquals(RetrieveStatus.NOT_ATTEMPTED, nextHandler.statusSeen.get(10L));
        assertEquals(RetrieveStatus.RETRIEVED, nextHandler.statusSeen.get(20L));
        assertEquals(RetrieveStatus.NOT_ATTEMPTED, nextHandler.statusSeen.get(30L));
    }

    @Test
    void scenario37_finishingASessionWithNoFilesSucceeds() {
        fill("empty");
        LiveUpdateOrchestrator next = reboot();
        Session in = next.retrieveSession("empty");
        in.finish();
        in.finish(); // again: nothing to do
        assertEquals(List.of(), next.incomingSessionNames());
        assertEquals(List.of(), nextLog.take());
    }

    @Test
    void scenario38_afterFinishTheSessionIsGoneAndTheFilesBelongToTheApplication() {
        fill("s", 1);
        LiveUpdateOrchestrator next = reboot();
        Session in = next.retrieveSession("s");
        TestFile file = in.retrieve(1, TestFile.class);
        in.finish();
        assertTrue(file.isOpen(), "finish gives the file up, it does not close it");
        failure(Errno.ENOENT, () -> in.retrieve(1));
        // finished but not closed: the session stays listed until it is closed, as in the seed
        failure(Errno.EINVAL, () -> next.retrieveSession("s"));
        assertEquals(List.of(), next.incomingSessionNames());
        // the application may preserve it again, into a new outgoing session
        next.createSession("s").preserve(1, file);
        in.close();
        failure(Errno.ENOENT, () -> next.retrieveSession("s"));
        assertEquals(List.of("s"), next.status().outgoing().stream().map(o -> o.name()).toList());
    }

    @Test
    void scenario38_aFinishedSessionIsRemovedOnlyByItsClose() {
        fill("s", 1);
        LiveUpdateOrchestrator next = reboot();
        Session in = next.retrieveSession("s");
        in.finish();
        in.finish(); // again: nothing to do
        assertEquals(List.of(), next.status().incoming(), "a finished session is not reported");
        LiveUpdateException again = failure(Errno.EINVAL, () -> next.retrieveSession("s"));
        assertTrue(again.getMessage().contains("already retrieved and finished"), again.getMessage());
        assertEquals(List.of(), in.tokens());
        assertEquals("s", in.name());
        in.close();
        failure(Errno.ENOENT, () -> next.retrieveSession("s"));
        failure(Errno.EBADF, in::finish);
        in.close(); // closing twice does nothing
    }

    @Test
    void anImageWhoseGenerationCannotGrowIsRefusedAtLoad() {
        io.luo4j.image.Image last = new io.luo4j.image.Image(Long.MAX_VALUE, List.of(new io.luo4j.image.ImageSession("s", List.of())),
                List.of(), 0);
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        LiveUpdateException e = failure(Errno.EOVERFLOW, () -> next.loadIncoming(io.luo4j.image.ImageWriter.write(last)));
        assertTrue(e.getMessage().contains(Long.toString(Long.MAX_VALUE)), e.getMessage());
        assertEquals(0, next.generation(), "nothing was kept");
        failure(Errno.ENOENT, () -> next.retrieveSession("s"));

        // one less is the last generation that loads; it can still hand over once more
        io.luo4j.image.Image almost = new io.luo4j.image.Image(Long.MAX_VALUE - 1, List.of(), List.of(), 0);
        next.loadIncoming(io.luo4j.image.ImageWriter.write(almost));
        assertEquals(Long.MAX_VALUE - 1, next.generation());
        Handover handover = next.upgrade();
        assertEquals(Long.MAX_VALUE, handover.generation());
        failure(Errno.EOVERFLOW, () -> LiveUpdateOrchestrator.create().loadIncoming(handover));
    }

    @Test
    void scenario38_aRetrievedFileCannotBePreservedAgainBeforeFinish() {
        fill("s", 1);
        LiveUpdateOrchestrator next = reboot();
        Session in = next.retrieveSession("s");
        TestFile file = in.retrieve(1, TestFile.class);
        Session out = next.createSession("next-round");
        failure(Errno.EBUSY, () -> out.preserve(1, file));
        in.finish();
        out.preserve(1, file);
    }

    @Test
    void scenario39_sessionsNotFinishedAreDiscardedAtTheNextUpgrade() {
        fill("kept", 1);
        fill("forgotten", 2);
        fill("retrieved-not-finished", 3);
        LiveUpdateOrchestrator second = reboot();
        second.retrieveSession("kept").finish();
        second.retrieveSession("retrieved-not-finished").retrieve(3);
        second.createSession("new").preserve(4, new TestFile("t-v1", "n4"));
        nextLog.take();

        CallLog thirdLog = new CallLog();
        LiveUpdateOrchestrator third = Reboot.into(second, n -> n.registerHandler(new TestHandler("t-v1", thirdLog)));
        assertEquals(List.of("new"), third.incomingSessionNames());
        // the predecessor gave the discarded files up at its commit: finish ran, without canFinish
        List<String> discards = nextLog.take();
        assertEquals(List.of("freeze:new:4", "finish:forgotten:2", "finish:retrieved-not-finished:3"), discards);
        assertEquals(RetrieveStatus.NOT_ATTEMPTED, nextHandler.statusSeen.get(2L));
        assertEquals(RetrieveStatus.RETRIEVED, nextHandler.statusSeen.get(3L));
        assertEquals(List.of(), second.status().incoming(), "the handed-over process holds no incoming session");
    }

    @Test
    void anImageWithTwoSessionsOfOneNameFailsDeserializationWithEexist() {
        io.luo4j.image.Image twice = new io.luo4j.image.Image(1, List.of(
                new io.luo4j.image.ImageSession("dup", List.of()), new io.luo4j.image.ImageSession("dup", List.of())), List.of(), 0);
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        next.loadIncoming(io.luo4j.image.ImageWriter.write(twice));
        failure(Errno.EEXIST, next::deserialize);
        failure(Errno.EEXIST, () -> next.retrieveSession("dup"));
    }

    @Test
    void anImageWithATokenTwiceInASessionFailsWithEexist() {
        var entry = new io.luo4j.image.ImageEntry("t-v1", 1, null, 0, 0);
        io.luo4j.image.Image twice = new io.luo4j.image.Image(1, List.of(
                new io.luo4j.image.ImageSession("s", List.of(entry, entry))), List.of(), 0);
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        next.registerHandler(nextHandler);
        next.loadIncoming(io.luo4j.image.ImageWriter.write(twice));
        failure(Errno.EEXIST, next::deserialize);
    }

    @Test
    void anotherThreadCanRetrieveWhatThisOneLoaded() throws Exception {
        fill("s", 1);
        LiveUpdateOrchestrator next = reboot();
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            Session in = pool.submit(() -> next.retrieveSession("s")).get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("data-1", pool.submit(() -> in.retrieve(1, TestFile.class).id).get(10, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rolledBackUpgradeKeepsUnfinishedIncomingSessions() {
        fill("s", 1);
        LiveUpdateOrchestrator next = reboot();
        next.prepareUpgrade().rollback();
        assertEquals(List.of("s"), next.incomingSessionNames());
        assertEquals("data-1", next.retrieveSession("s").retrieve(1, TestFile.class).id);
    }

    @Test
    void retrieveWithTheWrongTypeIsEinval() {
        fill("s", 1);
        Session in = reboot().retrieveSession("s");
        failure(Errno.EINVAL, () -> in.retrieve(1, String.class));
    }

    @Test
    void descriptorsTravelBesideTheImageAndComeBackPerFile() {
        CountingFileTable table = new CountingFileTable();
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.builder().fileTable(table).build();
        o.registerHandler(new PlainHandler("fd-v1") {
            @Override
            public boolean canPreserve(Object f) {
                return f instanceof TestFile;
            }

            @Override
            public void preserve(FileOpArgs a) {
                a.setDescriptors(Integer.parseInt(((TestFile) a.file()).id), 1000 + (int) a.token());
            }

            @Override
            public void retrieve(FileOpArgs a) {
                a.setFile(new TestFile("fd", a.descriptors()[0] + "/" + a.descriptors()[1]));
            }
        });
        Session s = o.createSession("s");
        s.preserve(1, new TestFile("fd", "7"));
        s.preserve(2, new TestFile("fd", "9"));
        Handover h = o.upgrade();
        assertEquals(List.of(7, 1001, 9, 1002), java.util.Arrays.stream(h.descriptors()).boxed().toList());

        // the successor receives them under other numbers, in the same order
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.builder().fileTable(table).build();
        next.registerHandler(new PlainHandler("fd-v1") {
            @Override
            public boolean canPreserve(Object f) {
                return false;
            }

            @Override
            public void retrieve(FileOpArgs a) {
                a.setFile(new TestFile("fd", a.descriptors()[0] + "/" + a.descriptors()[1]));
            }
        });
        next.loadIncoming(h.image(), 50, 51, 52, 53);
        Session in = next.retrieveSession("s");
        assertEquals("52/53", in.retrieve(2, TestFile.class).id);
        assertEquals("50/51", in.retrieve(1, TestFile.class).id);
        int fd = in.retrieveDescriptor(1);
        assertSame(in.retrieve(1), table.at(fd));
    }
}
