package io.luo4j;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A file handler for {@link TestFile}s of one type that logs every callback and fails on request.
 * Preserve serializes "data-&lt;token&gt;" and keeps "private-&lt;token&gt;"; retrieve rebuilds a
 * TestFile whose id is the serialized data it got.
 */
final class TestHandler {
    final String compatible;
    final CallLog log;
    final Set<Long> failPreserve = ConcurrentHashMap.newKeySet();
    final Set<Long> failFreeze = ConcurrentHashMap.newKeySet();
    final Set<Long> failRetrieve = ConcurrentHashMap.newKeySet();
    final Set<Long> notReady = ConcurrentHashMap.newKeySet();
    /** Serialized data that freeze sets, by token; tokens not listed keep theirs. */
    final Map<Long, byte[]> freezeData = new ConcurrentHashMap<>();
    /** What each callback received as serialized data, by "callback:token". */
    final Map<String, String> dataSeen = new ConcurrentHashMap<>();
    /** What each callback received as private data, by "callback:token". */
    final Map<String, Object> privateSeen = new ConcurrentHashMap<>();
    /** What finish and canFinish saw as retrieve status, by token. */
    final Map<Long, RetrieveStatus> statusSeen = new ConcurrentHashMap<>();
    private boolean optional = true;
    private Errno failureReason = Errno.EIO;

    TestHandler(String compatible, CallLog log) {
        this.compatible = compatible;
        this.log = log;
    }

    /** Builds the handler without freeze, unfreeze and canFinish. */
    TestHandler withoutOptionalCallbacks() {
        optional = false;
        return this;
    }

    TestHandler failingWith(Errno reason) {
        failureReason = reason;
        return this;
    }

    FileHandler build() {
        FileHandler.Builder b = FileHandler.builder(compatible)
                .canPreserve((h, file) -> file instanceof TestFile f && f.type.equals(compatible))
                .preserve(a -> {
                    record("preserve", a);
                    fail(failPreserve, a, "preserve");
                    a.setSerializedData(("data-" + a.token()).getBytes(StandardCharsets.UTF_8));
                    a.setPrivateData("private-" + a.token());
                })
                .unpreserve(a -> record("unpreserve", a))
                .retrieve(a -> {
                    record("retrieve", a);
                    fail(failRetrieve, a, "retrieve");
                    a.setFile(new TestFile(compatible, new String(a.serializedData(), StandardCharsets.UTF_8)));
                })
                .finish(a -> {
                    record("finish", a);
                    statusSeen.put(a.token(), a.retrieveStatus());
                });
        if (optional) {
            b.freeze(a -> {
                record("freeze", a);
                fail(failFreeze, a, "freeze");
                byte[] data = freezeData.get(a.token());
                if (data != null) {
                    a.setSerializedData(data);
                }
            }).unfreeze(a -> record("unfreeze", a))
                    .canFinish(a -> {
                        record("canFinish", a);
                        return !notReady.contains(a.token());
                    });
        }
        return b.build();
    }

    private void record(String callback, FileOpArgs args) {
        log.add(callback + ":" + args.sessionName() + ":" + args.token());
        dataSeen.put(callback + ":" + args.token(), new String(args.serializedData(), StandardCharsets.UTF_8));
        if (args.privateData() != null) {
            privateSeen.put(callback + ":" + args.token(), args.privateData());
        }
    }

    private void fail(Set<Long> tokens, FileOpArgs args, String what) {
        if (tokens.contains(args.token())) {
            throw new LiveUpdateException(failureReason, "test: " + what + " of token " + args.token() + " fails");
        }
    }
}
