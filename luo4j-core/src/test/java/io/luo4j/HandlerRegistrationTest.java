package io.luo4j;

import static io.luo4j.Expect.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Scenarios 1-5: registering and unregistering file handlers. */
class HandlerRegistrationTest {
    private final CallLog log = new CallLog();
    private final LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();

    /** A handler with every required callback, and none of the optional ones. */
    private static FileHandler complete(String compatible) {
        return new PlainHandler(compatible) {
            @Override
            public void retrieve(FileOpArgs args) {
                args.setFile(new Object());
            }
        };
    }

    /** A handler that is a record: two with the same compatible string are equal, and still two handlers. */
    private record RecordHandler(String compatible) implements FileHandler {
        @Override
        public boolean canPreserve(Object file) {
            return true;
        }

        @Override
        public void preserve(FileOpArgs args) {}

        @Override
        public void unpreserve(FileOpArgs args) {}

        @Override
        public void retrieve(FileOpArgs args) {}

        @Override
        public void finish(FileOpArgs args) {}
    }

    /** An FLB that is a record, for the same reason. */
    private record RecordFlb(String compatible) implements Flb {
        @Override
        public void preserve(FlbOpArgs args) {}

        @Override
        public void unpreserve(FlbOpArgs args) {}

        @Override
        public void retrieve(FlbOpArgs args) {}

        @Override
        public void finish(FlbOpArgs args) {}
    }

    private static Method callback(Class<?> type, String name) {
        return Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(type.getSimpleName() + " has no " + name));
    }

    @ParameterizedTest(name = "scenario 1: {0} is required: abstract, so a handler without it does not compile")
    @ValueSource(strings = {"canPreserve", "preserve", "unpreserve", "retrieve", "finish"})
    void scenario01_requiredCallbacksAreAbstract(String name) {
        Method method = callback(FileHandler.class, name);
        assertTrue(Modifier.isAbstract(method.getModifiers()), name + " must be abstract");
        assertFalse(method.isDefault(), name);
    }

    @ParameterizedTest(name = "scenario 1: {0} is optional: a default method")
    @ValueSource(strings = {"freeze", "unfreeze", "canFinish", "identity"})
    void scenario01_optionalCallbacksAreDefaultMethods(String name) {
        assertTrue(callback(FileHandler.class, name).isDefault(), name + " must be a default method");
    }

    @Test
    void scenario01_theAbstractMethodsAreExactlyTheRequiredCallbacksAndCompatible() {
        assertEquals(Set.of("compatible", "canPreserve", "preserve", "unpreserve", "retrieve", "finish"), abstractMethods(FileHandler.class));
        assertEquals(Set.of("compatible", "preserve", "unpreserve", "retrieve", "finish"), abstractMethods(Flb.class),
                "every FLB callback is required");
    }

    private static Set<String> abstractMethods(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods()).filter(m -> Modifier.isAbstract(m.getModifiers()))
                .map(Method::getName).collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "scenario 1: compatible \"{0}\" -> EINVAL, nothing registered")
    @NullAndEmptySource
    @ValueSource(strings = "0123456789012345678901234567890123456789-too-long")
    void scenario01_aHandlerWithoutAUsableCompatibleIsEinvalAndTheRegistryIsUnchanged(String compatible) {
        FileHandler kept = complete("kept-v1");
        luo.registerHandler(kept);
        LiveUpdateException e = failure(Errno.EINVAL, () -> luo.registerHandler(complete(compatible)));
        assertTrue(e.getMessage().contains("compatible"), e.getMessage());
        assertEquals(List.of(kept), luo.handlers());
        assertEquals(List.of("kept-v1"), luo.status().handlers());
    }

    @ParameterizedTest(name = "scenario 1: FLB compatible \"{0}\" -> EINVAL, nothing registered")
    @NullAndEmptySource
    @ValueSource(strings = "0123456789012345678901234567890123456789-too-long")
    void scenario01_anFlbWithoutAUsableCompatibleIsEinvalAndTheRegistryIsUnchanged(String compatible) {
        FileHandler handler = complete("t-v1");
        luo.registerHandler(handler);
        failure(Errno.EINVAL, () -> luo.registerFlb(handler, new PlainFlb(compatible)));
        assertEquals(List.of(), luo.status().flbs());
        luo.createSession("s").preserve(1, new Object()); // no FLB takes a user: none is linked
        assertEquals(List.of(), luo.status().flbs());
    }

    @Test
    void scenario01_optionalCallbacksMayBeAbsent() {
        FileHandler handler = complete("t-v1");
        luo.registerHandler(handler);
        assertEquals(List.of(handler), luo.handlers());
    }

    @Test
    void scenario01_theOptionalCallbacksDefaultToTheKernelsBehaviour() throws Exception {
        FileHandler handler = complete("t-v1");
        FileOpArgs args = new FileOpArgs(handler, "s", 1, "file", new byte[] {1}, null, new int[] {3},
                RetrieveStatus.NOT_ATTEMPTED, null);
        handler.freeze(args);
        handler.unfreeze(args);
        assertArrayEquals(new byte[] {1}, args.serializedData(), "freeze and unfreeze change nothing");
        assertArrayEquals(new int[] {3}, args.descriptors());
        assertTrue(handler.canFinish(args), "a file can finish");
        assertEquals("FileOpArgs[t-v1 session=s token=1 data=1B descriptors=[3] status=NOT_ATTEMPTED]", args.toString());
        String file = new String("file");
        String equalFile = new String("file");
        assertEquals(handler.identity(file), handler.identity(file), "the same object is the same file");
        assertEquals(handler.identity(file).hashCode(), handler.identity(file).hashCode());
        assertNotEquals(handler.identity(file), handler.identity(equalFile), "an equal object is another file");
        assertNotEquals(handler.identity(file), file);
    }

    @Test
    void scenario01_withTheDefaultIdentityTheSameObjectTwiceIsEbusyAndAnEqualOneIsAnotherFile() {
        luo.registerHandler(complete("t-v1"));
        Session s = luo.createSession("s");
        List<String> file = new ArrayList<>(List.of("a"));
        s.preserve(1, file);
        failure(Errno.EBUSY, () -> s.preserve(2, file));
        s.preserve(3, new ArrayList<>(List.of("a")));
        assertEquals(List.of(1L, 3L), s.tokens());
    }

    @Test
    void handlersAndFlbsAreToldApartByReferenceNotByEquals() {
        RecordHandler registered = new RecordHandler("r-v1");
        RecordHandler equalTwin = new RecordHandler("r-v1");
        assertEquals(registered, equalTwin);
        luo.registerHandler(registered);
        failure(Errno.EEXIST, () -> luo.registerHandler(equalTwin)); // same compatible string
        failure(Errno.ENOENT, () -> luo.unregisterHandler(equalTwin));
        failure(Errno.EINVAL, () -> luo.registerFlb(equalTwin, new RecordFlb("f-v1")));
        assertEquals(List.of(registered), luo.handlers());

        RecordFlb flb = new RecordFlb("f-v1");
        luo.registerFlb(registered, flb);
        failure(Errno.EEXIST, () -> luo.registerFlb(registered, new RecordFlb("f-v1"))); // another FLB of that name
        failure(Errno.ENOENT, () -> luo.unregisterFlb(registered, new RecordFlb("f-v1")));
        failure(Errno.EINVAL, () -> luo.flbOutgoing(new RecordFlb("f-v1")));
        assertEquals(1, luo.status().flbs().size());
        luo.unregisterFlb(registered, flb);
        assertEquals(List.of(), luo.status().flbs());
        RecordHandler other = new RecordHandler("other-v1");
        luo.registerHandler(other);
        luo.unregisterHandler(registered);
        assertEquals(List.of(other), luo.handlers(), "only that very handler goes");
    }

    @Test
    void scenario02_duplicateCompatibleIsEexistAndTheFirstStillWorks() {
        TestHandler first = new TestHandler("dup-v1", log);
        FileHandler firstHandler = first;
        luo.registerHandler(firstHandler);
        failure(Errno.EEXIST, () -> luo.registerHandler(new TestHandler("dup-v1", log)));
        failure(Errno.EEXIST, () -> luo.registerHandler(firstHandler));

        Session s = luo.createSession("s");
        s.preserve(1, new TestFile("dup-v1", "a"));
        assertEquals(List.of("preserve:s:1"), log.take());
        assertEquals(List.of(firstHandler), luo.handlers());
    }

    @Test
    void scenario03_registerOrUnregisterWhileAnOutgoingSessionExistsIsEbusy() {
        FileHandler a = complete("a-v1");
        luo.registerHandler(a);
        Session s = luo.createSession("s");
        failure(Errno.EBUSY, () -> luo.registerHandler(complete("b-v1")));
        failure(Errno.EBUSY, () -> luo.unregisterHandler(a));
        assertEquals(List.of(a), luo.handlers());
        s.close();
        luo.registerHandler(complete("b-v1"));
        assertEquals(2, luo.handlers().size());
    }

    @Test
    void scenario03_registerWhileAnIncomingImageWaitsOrIncomingSessionsExistIsEbusy() {
        TestHandler h = new TestHandler("t-v1", log);
        luo.registerHandler(h);
        luo.createSession("s").preserve(1, new TestFile("t-v1", "x"));
        Handover handover = luo.upgrade();

        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.create();
        FileHandler again = new TestHandler("t-v1", log);
        next.registerHandler(again);
        next.loadIncoming(handover);
        FileHandler other = complete("other-v1");
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
        FileHandler handler = h;
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
        failure(Errno.ENOENT, () -> luo.unregisterHandler(complete("never-v1")));
    }

    @Test
    void scenario05_compatibleLongerThan47BytesIsEinval() {
        String longest = "c".repeat(47);
        String tooLong = "c".repeat(48);
        luo.registerHandler(complete(longest));
        failure(Errno.EINVAL, () -> luo.registerHandler(complete(tooLong)));
        // 16 two-byte characters are 32 bytes; 24 of them are 48 bytes: the limit counts bytes
        failure(Errno.EINVAL, () -> luo.registerHandler(complete("é".repeat(24))));
        luo.registerHandler(complete("é".repeat(23)));
        assertEquals(2, luo.handlers().size());
    }

    @Test
    void scenario05_emptyOrControlCharacterCompatibleIsEinval() {
        failure(Errno.EINVAL, () -> luo.registerHandler(complete("")));
        failure(Errno.EINVAL, () -> luo.registerHandler(complete("a\nb")));
    }

    @Test
    void scenario05_flbCompatibleLongerThan47BytesIsEinval() {
        FileHandler handler = complete("t-v1");
        luo.registerHandler(handler);
        Flb flb = new PlainFlb("f".repeat(48));
        failure(Errno.EINVAL, () -> luo.registerFlb(handler, flb));
    }

    @Test
    void aCompatibleStringWithAnUnpairedSurrogateIsEinval() {
        FileHandler handler = complete("t-v1");
        luo.registerHandler(handler);
        for (String compatible : List.of("h\uD800", "\uDC00-v1", "a\uDBFF\uDBFF")) {
            LiveUpdateException e = failure(Errno.EINVAL, () -> luo.registerHandler(complete(compatible)));
            assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
            failure(Errno.EINVAL, () -> luo.registerFlb(handler, new PlainFlb(compatible)));
        }
        luo.registerHandler(complete("h?")); // what a lone surrogate would have been written as is still free
        luo.registerFlb(handler, new PlainFlb("f-\uD83D\uDE00")); // a pair is fine
        assertEquals(List.of("t-v1", "h?"), luo.status().handlers());
        assertEquals(List.of("f-\uD83D\uDE00"), luo.status().flbs().stream().map(f -> f.compatible()).toList());
    }

    @Test
    void registrationChecksItsArgumentsBeforeQuiescenceAsTheKernelDoes() {
        FileHandler handler = complete("t-v1");
        luo.registerHandler(handler);
        luo.createSession("s");
        failure(Errno.EINVAL, () -> luo.registerHandler(complete("")));
        failure(Errno.EINVAL, () -> luo.registerFlb(handler, new PlainFlb("")));
        failure(Errno.EINVAL, () -> luo.registerFlb(handler, new PlainFlb("f".repeat(48))));
        failure(Errno.EINVAL, () -> luo.registerFlb(complete("never-v1"), new PlainFlb("f-v1")));
        failure(Errno.EBUSY, () -> luo.registerFlb(handler, new PlainFlb("f-v1"))); // good arguments: then quiescence
        failure(Errno.EBUSY, () -> luo.registerHandler(complete("u-v1")));
        assertEquals(List.of(), luo.status().flbs());
    }

    @Test
    void registrationAfterHandoverIsShutdown() {
        luo.upgrade();
        failure(Errno.ESHUTDOWN, () -> luo.registerHandler(complete("late-v1")));
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
