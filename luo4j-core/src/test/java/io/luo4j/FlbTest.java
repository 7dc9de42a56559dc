package io.luo4j;

import static io.luo4j.Expect.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenarios 40-44: file-lifecycle-bound shared objects. */
class FlbTest {
    private final CallLog log = new CallLog();

    /** An FLB that logs its callbacks; its data is "state-of-&lt;name&gt;", its object "object:&lt;data&gt;". */
    private Flb flb(String name, CallLog into) {
        return new Flb() {
            @Override
            public String compatible() {
                return name;
            }

            @Override
            public void preserve(FlbOpArgs a) {
                into.add("flb-preserve:" + name);
                a.setSerializedData(("state-of-" + name).getBytes(StandardCharsets.UTF_8));
                a.setObject("live:" + name);
            }

            @Override
            public void unpreserve(FlbOpArgs a) {
                into.add("flb-unpreserve:" + name + ":" + a.object());
            }

            @Override
            public void retrieve(FlbOpArgs a) {
                into.add("flb-retrieve:" + name);
                a.setObject("object:" + new String(a.serializedData(), StandardCharsets.UTF_8));
            }

            @Override
            public void finish(FlbOpArgs a) {
                into.add("flb-finish:" + name + ":" + a.object());
            }
        };
    }

    @Test
    void scenario40_theFirstFileInAnySessionPreservesTheFlbOnceMoreFilesOnlyCount() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        FileHandler h = new TestHandler("t-v1", log);
        luo.registerHandler(h);
        Flb shared = flb("arena-v1", log);
        luo.registerFlb(h, shared);
        luo.createSession("a").preserve(1, new TestFile("t-v1", "1"));
        luo.createSession("b").preserve(1, new TestFile("t-v1", "2"));
        luo.createSession("c").preserve(1, new TestFile("t-v1", "3"));
        assertEquals(List.of("flb-preserve:arena-v1", "preserve:a:1", "preserve:b:1", "preserve:c:1"), log.take());
        assertEquals(3, luo.status().flbs().get(0).users());
        assertEquals("live:arena-v1", luo.flbOutgoing(shared));
    }

    @Test
    void scenario41_unpreservingTheLastFileUnpreservesTheFlbOnce() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        FileHandler h = new TestHandler("t-v1", log);
        luo.registerHandler(h);
        luo.registerFlb(h, flb("arena-v1", log));
        Session a = luo.createSession("a");
        a.preserve(1, new TestFile("t-v1", "1"));
        a.preserve(2, new TestFile("t-v1", "2"));
        Session b = luo.createSession("b");
        b.preserve(1, new TestFile("t-v1", "3"));
        log.take();
        a.close();
        assertEquals(List.of("unpreserve:a:2", "unpreserve:a:1"), log.take());
        b.close();
        assertEquals(List.of("unpreserve:b:1", "flb-unpreserve:arena-v1:live:arena-v1"), log.take());
        // preserving again starts a new lifetime
        luo.createSession("c").preserve(1, new TestFile("t-v1", "4"));
        assertEquals(List.of("flb-preserve:arena-v1", "preserve:c:1"), log.take());
    }

    @Test
    void scenario41_aFailedPreserveGivesTheFlbUserBack() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        TestHandler th = new TestHandler("t-v1", log);
        th.failPreserve.add(1L);
        FileHandler h = th;
        luo.registerHandler(h);
        luo.registerFlb(h, flb("arena-v1", log));
        failure(Errno.EIO, () -> luo.createSession("a").preserve(1, new TestFile("t-v1", "1")));
        assertEquals(List.of("flb-preserve:arena-v1", "preserve:a:1", "flb-unpreserve:arena-v1:live:arena-v1"), log.take());
    }

    @Test
    void scenario41_aFailingFlbPreserveFailsTheFileAndUndoesEarlierFlbs() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        FileHandler h = new TestHandler("t-v1", log);
        luo.registerHandler(h);
        luo.registerFlb(h, flb("first-v1", log));
        luo.registerFlb(h, new PlainFlb("broken-v1") {
            @Override
            public void preserve(FlbOpArgs a) {
                throw new LiveUpdateException(Errno.ENODEV, "test: the device is gone");
            }
        });
        Session s = luo.createSession("a");
        failure(Errno.ENODEV, () -> s.preserve(1, new TestFile("t-v1", "1")));
        assertEquals(List.of("flb-preserve:first-v1", "flb-unpreserve:first-v1:live:first-v1"), log.take(),
                "the handler's preserve is never called");
        assertEquals(List.of(), s.tokens());
    }

    @Test
    void scenario42_inTheSuccessorTheFlbIsRetrievedOnDemandOnceAndFinishedWithItsLastFile() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        FileHandler h = new TestHandler("t-v1", log);
        luo.registerHandler(h);
        luo.registerFlb(h, flb("arena-v1", log));
        luo.createSession("a").preserve(1, new TestFile("t-v1", "1"));
        luo.createSession("b").preserve(2, new TestFile("t-v1", "2"));

        CallLog next = new CallLog();
        Flb nextFlb = flb("arena-v1", next);
        LiveUpdateOrchestrator successor = Reboot.into(luo, n -> {
            FileHandler nh = new TestHandler("t-v1", next);
            n.registerHandler(nh);
            n.registerFlb(nh, nextFlb);
        });
        assertEquals("object:state-of-arena-v1", successor.flbIncoming(nextFlb));
        assertEquals("object:state-of-arena-v1", successor.flbIncoming(nextFlb));
        assertEquals(List.of("flb-retrieve:arena-v1"), next.take());
        successor.retrieveSession("a").finish();
        assertEquals(List.of("canFinish:a:1", "finish:a:1"), next.take());
        successor.retrieveSession("b").finish();
        assertEquals(List.of("canFinish:b:2", "finish:b:2", "flb-finish:arena-v1:object:state-of-arena-v1"), next.take());
        failure(Errno.ENODATA, () -> successor.flbIncoming(nextFlb));
    }

    @Test
    void scenario42_filesFinishedBeforeAnyGetStillFinishTheFlbOnce() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        FileHandler h = new TestHandler("t-v1", log);
        luo.registerHandler(h);
        luo.registerFlb(h, flb("arena-v1", log));
        Session s = luo.createSession("a");
        s.preserve(1, new TestFile("t-v1", "1"));
        s.preserve(2, new TestFile("t-v1", "2"));
        CallLog next = new CallLog();
        LiveUpdateOrchestrator successor = Reboot.into(luo, n -> {
            FileHandler nh = new TestHandler("t-v1", next);
            n.registerHandler(nh);
            n.registerFlb(nh, flb("arena-v1", next));
        });
        successor.retrieveSession("a").finish();
        assertEquals(List.of("canFinish:a:1", "canFinish:a:2", "finish:a:2", "finish:a:1", "flb-retrieve:arena-v1",
                "flb-finish:arena-v1:object:state-of-arena-v1"), next.take());
    }

    @Test
    void scenario43_getOutgoingBeforeAnyFileAndGetIncomingWithoutAnIncomingFlbAreEnoent() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        FileHandler h = new TestHandler("t-v1", log);
        luo.registerHandler(h);
        Flb f = flb("arena-v1", log);
        luo.registerFlb(h, f);
        failure(Errno.ENOENT, () -> luo.flbOutgoing(f));
        failure(Errno.ENOENT, () -> luo.flbIncoming(f)); // started cold
        Flb unregistered = flb("other-v1", log);
        failure(Errno.EINVAL, () -> luo.flbOutgoing(unregistered));

        // a successor whose predecessor preserved no file of that type
        LiveUpdateOrchestrator successor = Reboot.into(luo, n -> {
            FileHandler nh = new TestHandler("t-v1", log);
            n.registerHandler(nh);
            n.registerFlb(nh, f);
        });
        failure(Errno.ENOENT, () -> successor.flbIncoming(f));
    }

    @Test
    void scenario44_oneFlbSharedByTwoHandlersIsCountedAcrossBoth() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        FileHandler memory = new TestHandler("mem-v1", log);
        FileHandler socket = new TestHandler("sock-v1", log);
        luo.registerHandler(memory);
        luo.registerHandler(socket);
        Flb shared = flb("shared-v1", log);
        luo.registerFlb(memory, shared);
        luo.registerFlb(socket, shared);
        assertEquals(1, luo.status().flbs().size(), "one global FLB");
        Session s = luo.createSession("s");
        s.preserve(1, new TestFile("mem-v1", "m"));
        s.preserve(2, new TestFile("sock-v1", "s"));
        assertEquals(List.of("flb-preserve:shared-v1", "preserve:s:1", "preserve:s:2"), log.take());
        assertEquals(2, luo.status().flbs().get(0).users());

        CallLog next = new CallLog();
        Flb nextShared = flb("shared-v1", next);
        LiveUpdateOrchestrator successor = Reboot.into(luo, n -> {
            FileHandler nm = new TestHandler("mem-v1", next);
            FileHandler ns = new TestHandler("sock-v1", next);
            n.registerHandler(nm);
            n.registerHandler(ns);
            n.registerFlb(nm, nextShared);
            n.registerFlb(ns, nextShared);
        });
        successor.flbIncoming(nextShared);
        successor.retrieveSession("s").finish();
        assertEquals(List.of("flb-retrieve:shared-v1", "canFinish:s:1", "canFinish:s:2", "finish:s:2", "finish:s:1",
                "flb-finish:shared-v1:object:state-of-shared-v1"), next.take());
    }

    @Test
    void flbRegistrationChecks() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.builder().limits(Limits.defaults().withMaxFlbs(2)).build();
        FileHandler h = new TestHandler("t-v1", log);
        Flb a = flb("a-v1", log);
        failure(Errno.EINVAL, () -> luo.registerFlb(h, a)); // handler not registered
        luo.registerHandler(h);
        failure(Errno.EINVAL, () -> luo.registerFlb(h, new PlainFlb(""))); // no name (a missing callback does not compile)
        luo.registerFlb(h, a);
        failure(Errno.EEXIST, () -> luo.registerFlb(h, a));
        failure(Errno.EEXIST, () -> luo.registerFlb(h, flb("a-v1", log))); // another object, same name
        luo.registerFlb(h, flb("b-v1", log));
        failure(Errno.ENOSPC, () -> luo.registerFlb(h, flb("c-v1", log)));
        failure(Errno.ENOENT, () -> luo.unregisterFlb(h, flb("never-v1", log)));
        luo.unregisterFlb(h, a);
        luo.registerFlb(h, flb("c-v1", log));
        Session s = luo.createSession("s");
        failure(Errno.EBUSY, () -> luo.registerFlb(h, flb("d-v1", log)));
        failure(Errno.EBUSY, () -> luo.unregisterFlb(h, a));
        s.close();
        luo.unregisterHandler(h); // unlinks its FLBs
        assertEquals(List.of(), luo.status().flbs());
    }
}
