package io.luo4j;

import static io.luo4j.Expect.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenarios 15-22 and 53: preserving files. */
class PreserveTest {
    private final CallLog log = new CallLog();
    private final TestHandler handler = new TestHandler("t-v1", log);
    private final CountingFileTable table = new CountingFileTable();
    private final LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.builder().fileTable(table).build();

    PreserveTest() {
        luo.registerHandler(handler);
    }

    @Test
    void scenario15_tokenAlreadyUsedInTheSessionIsEexistAndNothingChanges() {
        Session s = luo.createSession("s");
        s.preserve(7, new TestFile("t-v1", "a"));
        log.take();
        failure(Errno.EEXIST, () -> s.preserve(7, new TestFile("t-v1", "b")));
        // the token is checked before the file: even a bad descriptor reports EEXIST
        failure(Errno.EEXIST, () -> s.preserveDescriptor(7, 12345));
        assertEquals(List.of(), log.take());
        assertEquals(List.of(7L), s.tokens());
    }

    @Test
    void scenario16_theSameTokenInTwoSessionsWorks() {
        luo.createSession("a").preserve(1, new TestFile("t-v1", "x"));
        luo.createSession("b").preserve(1, new TestFile("t-v1", "y"));
        assertEquals(List.of("preserve:a:1", "preserve:b:1"), log.take());
    }

    @Test
    void scenario17_invalidOrClosedFileIsEbadf() {
        Session s = luo.createSession("s");
        TestFile closed = new TestFile("t-v1", "c");
        closed.close();
        failure(Errno.EBADF, () -> s.preserve(1, closed));
        failure(Errno.EBADF, () -> s.preserve(2, null));
        failure(Errno.EBADF, () -> s.preserveDescriptor(3, 999)); // not open in the table
        failure(Errno.EBADF, () -> s.preserveDescriptor(4, -1));
        int fd = table.add(new TestFile("t-v1", "d"));
        table.closeDescriptor(fd);
        failure(Errno.EBADF, () -> s.preserveDescriptor(5, fd));
        failure(Errno.EBADF, () -> LiveUpdateOrchestrator.create().createSession("x").preserveDescriptor(1, 0));
        assertEquals(List.of(), s.tokens());
        assertEquals(List.of(), log.take());
    }

    @Test
    void scenario18_fileNoHandlerAcceptsIsEnoent() {
        Session s = luo.createSession("s");
        failure(Errno.ENOENT, () -> s.preserve(1, new TestFile("unknown-v1", "a")));
        failure(Errno.ENOENT, () -> s.preserve(2, "a plain string"));
        assertEquals(List.of(), s.tokens());
    }

    @Test
    void scenario19_handlersAreProbedInRegistrationOrderAndTheFirstAcceptingWins() {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.create();
        CallLog probes = new CallLog();
        for (String name : List.of("first-v1", "second-v1", "third-v1")) {
            o.registerHandler(new PlainHandler(name) {
                @Override
                public boolean canPreserve(Object f) {
                    probes.add(name);
                    return !name.equals("first-v1");
                }

                @Override
                public void preserve(FileOpArgs a) {
                    probes.add("preserve:" + a.handler().compatible());
                }
            });
        }
        o.createSession("s").preserve(1, new Object());
        assertEquals(List.of("first-v1", "second-v1", "preserve:second-v1"), probes.take());
        assertEquals("second-v1", o.status().outgoing().get(0).files().get(0).compatible());
    }

    @Test
    void scenario20_failedPreserveLeavesNoEntryReleasesTheReferenceAndFreesEmptyStorage() {
        handler.failPreserve.add(1L);
        handler.failingWith(Errno.ENOMEM);
        TestFile file = new TestFile("t-v1", "a");
        int fd = table.add(file);
        Session s = luo.createSession("s");
        failure(Errno.ENOMEM, () -> s.preserveDescriptor(1, fd));
        assertEquals(List.of(), s.tokens());
        assertEquals(0, table.references(file), "the reference taken for the failed preserve is released");
        assertFalse(hasFileStorage(s), "an empty session keeps no file storage");

        // the token is free and the file can be preserved: nothing of the failure is left
        handler.failPreserve.clear();
        s.preserveDescriptor(1, fd);
        assertEquals(1, table.references(file));
        assertTrue(hasFileStorage(s));
        s.close();
        assertEquals(0, table.references(file), "unpreserve releases the reference");
    }

    @Test
    void scenario20_failureWithOtherFilesPresentKeepsTheirStorage() {
        Session s = luo.createSession("s");
        s.preserve(1, new TestFile("t-v1", "a"));
        handler.failPreserve.add(2L);
        failure(Errno.EIO, () -> s.preserve(2, new TestFile("t-v1", "b")));
        assertTrue(hasFileStorage(s));
        assertEquals(List.of(1L), s.tokens());
    }

    @Test
    void scenario20_aHandlerThatThrowsSomethingElseIsEio() {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.create();
        o.registerHandler(new PlainHandler("boom-v1") {
            @Override
            public void preserve(FileOpArgs a) {
                throw new IllegalStateException("disk on fire");
            }
        });
        LiveUpdateException e = failure(Errno.EIO, () -> o.createSession("s").preserve(1, new Object()));
        assertTrue(e.getMessage().contains("disk on fire"), e.getMessage());
        assertTrue(e.getCause() instanceof IllegalStateException);
    }

    private static boolean hasFileStorage(Session s) {
        return ((LiveSession) s).holdsFileStorage();
    }

    @Test
    void scenario21_fullSessionIsEnospcAndTheLimitIsConfigurable() {
        LiveUpdateOrchestrator small = LiveUpdateOrchestrator.builder().limits(Limits.defaults().withMaxFilesPerSession(3)).build();
        small.registerHandler(new TestHandler("t-v1", log));
        Session s = small.createSession("s");
        for (int i = 0; i < 3; i++) {
            s.preserve(i, new TestFile("t-v1", "f" + i));
        }
        failure(Errno.ENOSPC, () -> s.preserve(3, new TestFile("t-v1", "f3")));
        small.createSession("t").preserve(3, new TestFile("t-v1", "f3")); // the limit is per session
    }

    @Test
    void scenario21_theDefaultLimitAllowsAHundredThousandFilesInOneSession() {
        assertTrue(Limits.defaults().maxFilesPerSession() >= 100_000);
        Session s = luo.createSession("big");
        for (int i = 0; i < 100_000; i++) {
            s.preserve(i, new TestFile("t-v1", "f" + i));
        }
        assertEquals(100_000, s.tokens().size());
        LiveUpdateOrchestrator next = Reboot.into(luo, n -> n.registerHandler(new TestHandler("t-v1", new CallLog())));
        Session in = next.retrieveSession("big");
        assertEquals(100_000, in.tokens().size());
        assertEquals("data-99999", ((TestFile) in.retrieve(99_999)).id);
        in.finish();
    }

    @Test
    void scenario22_privateDataReachesUnpreserveFreezeAndUnfreezeAndSerializedDataTheSuccessor() {
        Session s = luo.createSession("s");
        s.preserve(5, new TestFile("t-v1", "a"));
        handler.failFreeze.add(6L);
        s.preserve(6, new TestFile("t-v1", "b"));
        failure(Errno.EIO, luo::prepareUpgrade);
        assertEquals("private-5", handler.privateSeen.get("freeze:5"));
        assertEquals("private-5", handler.privateSeen.get("unfreeze:5"));
        handler.failFreeze.clear();

        CallLog nextLog = new CallLog();
        TestHandler nextHandler = new TestHandler("t-v1", nextLog);
        LiveUpdateOrchestrator next = Reboot.into(luo, n -> n.registerHandler(nextHandler));
        Session in = next.retrieveSession("s");
        assertEquals("data-5", ((TestFile) in.retrieve(5)).id);
        assertEquals("data-6", ((TestFile) in.retrieve(6)).id);
        assertEquals("data-5", nextHandler.dataSeen.get("retrieve:5"));
        assertEquals(null, nextHandler.privateSeen.get("retrieve:5"), "private data never travels");
    }

    @Test
    void scenario22_privateDataReachesUnpreserve() {
        Session s = luo.createSession("s");
        s.preserve(5, new TestFile("t-v1", "a"));
        s.close();
        assertEquals("private-5", handler.privateSeen.get("unpreserve:5"));
        assertEquals("data-5", handler.dataSeen.get("unpreserve:5"));
    }

    @Test
    void scenario53_theSameFileTwiceIsEbusyInOneSessionOrTwo() {
        TestFile file = new TestFile("t-v1", "a");
        Session a = luo.createSession("a");
        Session b = luo.createSession("b");
        a.preserve(1, file);
        failure(Errno.EBUSY, () -> a.preserve(2, file));
        failure(Errno.EBUSY, () -> b.preserve(1, file));
        assertEquals(List.of(1L), a.tokens());
        assertEquals(List.of(), b.tokens());
    }

    @Test
    void scenario53_aDuplicatedDescriptorOfAPreservedFileIsEbusy() {
        TestFile file = new TestFile("t-v1", "a");
        int fd = table.add(file);
        int dup = table.add(file); // two descriptors, one underlying file
        Session s = luo.createSession("s");
        s.preserveDescriptor(1, fd);
        failure(Errno.EBUSY, () -> s.preserveDescriptor(2, dup));
        assertEquals(1, table.references(file));
    }

    @Test
    void scenario53_handlerIdentityTellsTwoObjectsForOneFileApart() {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.create();
        o.registerHandler(new PlainHandler("inode-v1") {
            @Override
            public boolean canPreserve(Object f) {
                return f instanceof TestFile;
            }

            @Override
            public Object identity(Object f) {
                return ((TestFile) f).id; // e.g. device and inode
            }
        });
        Session s = o.createSession("s");
        s.preserve(1, new TestFile("x", "inode-42"));
        failure(Errno.EBUSY, () -> s.preserve(2, new TestFile("x", "inode-42")));
        s.preserve(3, new TestFile("x", "inode-43"));
        assertEquals(List.of(1L, 3L), s.tokens());
        s.close();
        Session again = o.createSession("again");
        again.preserve(1, new TestFile("x", "inode-42")); // unpreserved: its identity is free again
        assertEquals(List.of(1L), again.tokens());
    }

    @Test
    void stateLargerThanTheEntryLimitIsE2bigAndUndone() {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.builder().limits(Limits.defaults().withMaxEntryDataBytes(4)).build();
        CallLog big = new CallLog();
        o.registerHandler(new TestHandler("t-v1", big));
        Session s = o.createSession("s");
        failure(Errno.E2BIG, () -> s.preserve(1, new TestFile("t-v1", "a"))); // "data-1" is 6 bytes
        assertEquals(List.of("preserve:s:1", "unpreserve:s:1"), big.take());
        assertEquals(List.of(), s.tokens());
    }

    @Test
    void stateExactlyAtTheEntryLimitIsAccepted() {
        LiveUpdateOrchestrator o = LiveUpdateOrchestrator.builder().limits(Limits.defaults().withMaxEntryDataBytes(6)).build();
        CallLog exact = new CallLog();
        o.registerHandler(new TestHandler("t-v1", exact));
        Session s = o.createSession("s");
        s.preserve(1, new TestFile("t-v1", "a")); // "data-1" is 6 bytes
        assertEquals(List.of("preserve:s:1"), exact.take(), "kept: no unpreserve");
        assertEquals(List.of(1L), s.tokens());
        assertEquals(6, o.status().outgoing().get(0).files().get(0).dataBytes());
        Session in = Reboot.into(o, n -> n.registerHandler(new TestHandler("t-v1", new CallLog()))).retrieveSession("s");
        assertEquals("data-1", in.retrieve(1, TestFile.class).id, "and handed over whole");
    }

    @Test
    void preservedBytesAreTheHandlersOwn() {
        Session s = luo.createSession("s");
        s.preserve(1, new TestFile("t-v1", "a"));
        LiveUpdateOrchestrator next = Reboot.into(luo, n -> n.registerHandler(new TestHandler("t-v1", new CallLog())));
        assertEquals("data-1".length(), next.retrieveSession("s").retrieve(1, TestFile.class).id.getBytes(StandardCharsets.UTF_8).length);
    }
}
