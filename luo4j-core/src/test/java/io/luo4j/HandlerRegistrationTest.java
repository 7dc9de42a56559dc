package io.luo4j;

import static io.luo4j.Expect.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scenarios 1-5: registering and unregistering file handlers. */
class HandlerRegistrationTest {
    private final CallLog log = new CallLog();
    private final LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();

    private static FileHandler.Builder complete(String compatible) {
        return FileHandler.builder(compatible)
                .canPreserve((h, f) -> true)
                .preserve(a -> {})
                .unpreserve(a -> {})
                .retrieve(a -> a.setFile(new Object()))
                .finish(a -> {});
    }

    @ParameterizedTest(name = "scenario 1: without {0} -> EINVAL")
    @ValueSource(strings = {"canPreserve", "preserve", "unpreserve", "retrieve", "finish"})
    void scenario01_missingRequiredCallbackIsEinval(String missing) {
        FileHandler.Builder b = complete("t-v1");
        switch (missing) {
            case "canPreserve" -> b.canPreserve(null);
            case "preserve" -> b.preserve(null);
            case "unpreserve" -> b.unpreserve(null);
            case "retrieve" -> b.retrieve(null);
            case "finish" -> b.finish(null);
            default -> throw new AssertionError(missing);
        }
        LiveUpdateException e = failure(Errno.EINVAL, () -> luo.registerHandler(b.build()));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertEquals(List.of(), luo.handlers());
    }

    @Test
    void scenario01_optionalCallbacksMayBeAbsent() {
        FileHandler handler = complete("t-v1").build();
        luo.registerHandler(handler);
        assertEquals(List.of(handler), luo.handlers());
    }

    @Test
    void scenario02_duplicateCompatibleIsEexistAndTheFirstStillWorks() {
        TestHandler first = new TestHandler("dup-v1", log);
        FileHandler firstHandler = first.build();
        luo.registerHandler(firstHandler);
        failure(Errno.EEXIST, () -> luo.registerHandler(new TestHandler("dup-v1", log).build()));
        failure(Errno.EEXIST, () -> luo.registerHandler(firstHandler));

        Session s = luo.createSession("s");
        s.preserve(1, new TestFile("dup-v1", "a"));
        assertEquals(List.of("preserve:s:1"), log.take());
        assertEquals(List.of(firstHandler), luo.handlers());
    }

    @Test
    void scenario03_registerOrUnregisterWhileAnOutgoingSessionExistsIsEbusy() {
        FileHandler a = complete("a-v1").build();
        luo.registerHandler(a);
        Session s = luo.createSession("s");
        failure(Errno.EBUSY, () -> luo.registerHandler(complete("b-v1").build()));
        failure(Errno.EBUSY, () -> luo.unregisterHandler(a));
        assertEquals(List.of(a), luo.handlers());
        s.close();
        luo.registerHandler(complete("b-v1").build());
        assertEquals(2, luo.handlers().size());
    }

    @Test
    void scenario03_registerWhileAnIncomingImageWaitsOrIncomingSessionsExistIsEbusy() {
        TestHandler h = new TestHandler("t-v1", log);
        luo.registerHandler(h.build());
        luo.createSession("s").preserve(1, new TestFile("t-v1", "x"));
        Handover handover = luo.upgrade();

        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        FileHandler again = new TestHandler("t-v1", log).build();
        next.registerHandler(again);
        next.loadIncoming(handover);
        FileHandler other = complete("other-v1").build();
        failure(Errno.EBUSY, () -> next.registerHandler(other)); // deserialization pending
        failure(Errno.EBUSY, () -> next.unregisterHandler(again));
        next.deserialize();
        failure(Errno.EBUSY, () -> next.registerHandler(other)); // incoming session exists
        assertEquals(List.of(again), next.handlers());

        next.retrieveSession("s").finish();
        next.registerHandler(other);
        assertEquals(List.of(again, other), next.handlers());
    }

    @Test
    void scenario04_unregisterThenRegisterAgainWorksAndFilesArePreservedAgain() {
        TestHandler h = new TestHandler("t-v1", log);
        FileHandler handler = h.build();
        luo.registerHandler(handler);
        luo.unregisterHandler(handler);
        assertEquals(List.of(), luo.handlers());
        Session s = luo.createSession("s");
        failure(Errno.ENOENT, () -> s.preserve(1, new TestFile("t-v1", "x")));
        s.close();

        luo.registerHandler(handler);
        Session again = luo.createSession("s");
        again.preserve(1, new TestFile("t-v1", "x"));
        assertEquals(List.of(1L), again.tokens());
    }

    @Test
    void scenario04_unregisterUnknownHandlerIsEnoent() {
        failure(Errno.ENOENT, () -> luo.unregisterHandler(complete("never-v1").build()));
    }

    @Test
    void scenario05_compatibleLongerThan47BytesIsEinval() {
        String longest = "c".repeat(47);
        String tooLong = "c".repeat(48);
        luo.registerHandler(complete(longest).build());
        failure(Errno.EINVAL, () -> luo.registerHandler(complete(tooLong).build()));
        // 16 two-byte characters are 32 bytes; 24 of them are 48 bytes: the limit counts bytes
        failure(Errno.EINVAL, () -> luo.registerHandler(complete("é".repeat(24)).build()));
        luo.registerHandler(complete("é".repeat(23)).build());
        assertEquals(2, luo.handlers().size());
    }

    @Test
    void scenario05_emptyOrControlCharacterCompatibleIsEinval() {
        failure(Errno.EINVAL, () -> luo.registerHandler(complete("").build()));
        failure(Errno.EINVAL, () -> luo.registerHandler(complete("a\nb").build()));
    }

    @Test
    void scenario05_flbCompatibleLongerThan47BytesIsEinval() {
        FileHandler handler = complete("t-v1").build();
        luo.registerHandler(handler);
        Flb flb = Flb.builder("f".repeat(48)).preserve(a -> {}).unpreserve(a -> {}).retrieve(a -> {}).finish(a -> {}).build();
        failure(Errno.EINVAL, () -> luo.registerFlb(handler, flb));
    }

    @Test
    void registrationAfterHandoverIsShutdown() {
        luo.upgrade();
        failure(Errno.ESHUTDOWN, () -> luo.registerHandler(complete("late-v1").build()));
    }

    @Test
    void loadIncomingTwiceIsEbusy() {
        Handover handover = LiveUpdateOrchestrator.create().upgrade();
        luo.loadIncoming(handover);
        failure(Errno.EBUSY, () -> luo.loadIncoming(handover.image(), handover.descriptors()));
        failure(Errno.EBADMSG, () -> LiveUpdateOrchestrator.create().loadIncoming(handover.image(), 5));
        failure(Errno.EBADMSG, () -> LiveUpdateOrchestrator.create().loadIncoming(ByteBuffer.allocate(3)));
    }
}
