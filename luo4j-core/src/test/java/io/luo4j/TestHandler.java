package io.luo4j;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A file handler for {@link TestFile}s of one type that logs every callback and fails on request.
 * Preserve serializes "data-&lt;token&gt;" and keeps "private-&lt;token&gt;"; retrieve rebuilds a
 * TestFile whose id is the serialized data it got. {@link #requiredOnly()} is the same handler
 * without its optional callbacks.
 */
final class TestHandler implements FileHandler {
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
    private Errno failureReason = Errno.EIO;

    TestHandler(String compatible, CallLog log) {
        this.compatible = compatible;
        this.log = log;
    }

    TestHandler failingWith(Errno reason) {
        failureReason = reason;
        return this;
    }

    /**
     * This handler without freeze, unfreeze and canFinish: a handler that implements only the
     * required callbacks and leaves the optional ones to their defaults.
     */
    FileHandler requiredOnly() {
        TestHandler full = this;
        return new FileHandler() {
            @Override
            public String compatible() {
                return full.compatible();
            }

            @Override
            public boolean canPreserve(Object file) {
                return full.canPreserve(file);
            }

            @Override
            public void preserve(FileOpArgs args) {
                full.preserve(args);
            }

            @Override
            public void unpreserve(FileOpArgs args) {
                full.unpreserve(args);
            }

            @Override
            public void retrieve(FileOpArgs args) {
                full.retrieve(args);
            }

            @Override
            public void finish(FileOpArgs args) {
                full.finish(args);
            }
        };
    }

    @Override
    public String compatible() {
        return compatible;
    }

    @Override
    public boolean canPreserve(Object file) {
        return file instanceof TestFile f && f.type.equals(compatible);
    }

    @Override
    public void preserve(FileOpArgs a) {
        record("preserve", a);
        fail(failPreserve, a, "preserve");
        a.setSerializedData(("data-" + a.token()).getBytes(StandardCharsets.UTF_8));
        a.setPrivateData("private-" + a.token());
    }

    @Override
    public void unpreserve(FileOpArgs a) {
        record("unpreserve", a);
    }

    @Override
    public void freeze(FileOpArgs a) {
        record("freeze", a);
        fail(failFreeze, a, "freeze");
        byte[] data = freezeData.get(a.token());
        if (data != null) {
            a.setSerializedData(data);
        }
    }

    @Override
    public void unfreeze(FileOpArgs a) {
        record("unfreeze", a);
    }

    @Override
    public void retrieve(FileOpArgs a) {
        record("retrieve", a);
        fail(failRetrieve, a, "retrieve");
        a.setFile(new TestFile(compatible, new String(a.serializedData(), StandardCharsets.UTF_8)));
    }

    @Override
    public boolean canFinish(FileOpArgs a) {
        record("canFinish", a);
        return !notReady.contains(a.token());
    }

    @Override
    public void finish(FileOpArgs a) {
        record("finish", a);
        statusSeen.put(a.token(), a.retrieveStatus());
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
