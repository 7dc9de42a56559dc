package io.luo4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.luo4j.OrchestratorStatus.SessionStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property test: random sequences of operations against the orchestrator and against a plain
 * reference model, checked after every step (the outcome, and the whole visible state). A sequence
 * runs in the predecessor, upgrades, and goes on in the successor.
 *
 * <p>Reproduce a failure with {@code -Dluo4j.seed=<seed>}; a failing sequence is shrunk (operations
 * dropped while it still fails) before it is reported.
 */
class OrchestratorModelTest {
    private static final int SEQUENCES = Integer.getInteger("luo4j.sequences", 400);
    private static final int MAX_STEPS = 60;
    private static final String[] NAMES = {"s0", "s1", "s2", "s3"};

    /** One step. {@code a}, {@code b}, {@code c} are small random numbers whose meaning depends on {@code kind}. */
    record Op(Kind kind, int a, int b, int c) {
        @Override
        public String toString() {
            return kind + "(" + a + "," + b + "," + c + ")";
        }
    }

    enum Kind { CREATE, CLOSE, PRESERVE, FAILED_UPGRADE, ROLLED_BACK_UPGRADE, UPGRADE, RETRIEVE_SESSION, RETRIEVE, FINISH }

    @Test
    void randomOperationSequencesMatchTheReferenceModel() {
        long seed = Long.getLong("luo4j.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int i = 0; i < SEQUENCES; i++) {
            long sequenceSeed = random.nextLong();
            List<Op> ops = generate(new Random(sequenceSeed));
            String failure = run(ops);
            if (failure != null) {
                List<Op> shrunk = shrink(ops);
                fail("sequence " + i + " of seed " + seed + " (-Dluo4j.seed=" + seed + ") fails: " + run(shrunk)
                        + "\nshrunk to " + shrunk.size() + " steps: " + shrunk + "\noriginal failure: " + failure);
            }
        }
    }

    private static List<Op> generate(Random random) {
        List<Op> ops = new ArrayList<>();
        int steps = 1 + random.nextInt(MAX_STEPS);
        for (int i = 0; i < steps; i++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            ops.add(new Op(kind, random.nextInt(NAMES.length), random.nextInt(6), random.nextInt(10)));
        }
        return ops;
    }

    private static List<Op> shrink(List<Op> ops) {
        List<Op> current = new ArrayList<>(ops);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < current.size(); i++) {
                List<Op> shorter = new ArrayList<>(current);
                shorter.remove(i);
                if (run(shorter) != null) {
                    current = shorter;
                    progress = true;
                    break;
                }
            }
        }
        return current;
    }

    /** Runs {@code ops}; returns null when every step matched the model, else what differed. */
    private static String run(List<Op> ops) {
        Harness h = new Harness();
        for (int i = 0; i < ops.size(); i++) {
            String mismatch;
            try {
                mismatch = h.step(ops.get(i));
            } catch (RuntimeException | AssertionError e) {
                mismatch = "step threw " + e;
            }
            if (mismatch != null) {
                return "step " + i + " " + ops.get(i) + ": " + mismatch;
            }
        }
        return null;
    }

    /** The orchestrator under test and the reference model, side by side. */
    private static final class Harness {
        private final CallLog log = new CallLog();
        private TestHandler handler = new TestHandler("t-v1", log);
        private LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        private final Map<String, Session> outgoing = new LinkedHashMap<>();
        private final Map<String, Session> retrieved = new LinkedHashMap<>();
        private final TestFile[] files = new TestFile[10];

        // the model
        private final Map<String, List<Long>> modelOutgoing = new LinkedHashMap<>();
        private final Map<String, List<Long>> modelIncoming = new LinkedHashMap<>();
        private final Set<String> modelRetrieved = new HashSet<>();
        /** Incoming sessions not closed yet, finished or not: what RETRIEVE_SESSION finds (EINVAL once retrieved). */
        private final Set<String> modelListed = new HashSet<>();
        private final Set<Integer> modelFilesInUse = new HashSet<>();
        private final Map<String, Map<Long, Integer>> modelFileOf = new LinkedHashMap<>();
        private long generation;

        Harness() {
            luo.registerHandler(handler);
            for (int i = 0; i < files.length; i++) {
                files[i] = new TestFile(i == 9 ? "unknown-v1" : "t-v1", "f" + i);
            }
            files[8].close();
        }

        String step(Op op) {
            String name = NAMES[op.a()];
            long token = op.b();
            return switch (op.kind()) {
                case CREATE -> expect(modelOutgoing.containsKey(name) ? Errno.EEXIST : null, () -> {
                    outgoing.put(name, luo.createSession(name));
                    modelOutgoing.put(name, new ArrayList<>());
                    modelFileOf.put(name, new LinkedHashMap<>());
                });
                case CLOSE -> close(name);
                case PRESERVE -> preserve(name, token, op.c());
                case FAILED_UPGRADE -> failedUpgrade(op.c());
                case ROLLED_BACK_UPGRADE -> rolledBack();
                case UPGRADE -> upgrade();
                case RETRIEVE_SESSION -> expect(!modelListed.contains(name) ? Errno.ENOENT
                        : modelRetrieved.contains(name) ? Errno.EINVAL : null, () -> {
                    retrieved.put(name, luo.retrieveSession(name));
                    modelRetrieved.add(name);
                });
                case RETRIEVE -> retrieve(name, token);
                case FINISH -> finish(name, op.c() < 3);
            };
        }

        private String close(String name) {
            Session s = outgoing.remove(name);
            if (s == null) {
                return closeIncoming(name);
            }
            List<Long> tokens = modelOutgoing.remove(name);
            for (int file : modelFileOf.remove(name).values()) {
                modelFilesInUse.remove(file);
            }
            log.take();
            s.close();
            List<String> expected = new ArrayList<>();
            for (int i = tokens.size() - 1; i >= 0; i--) {
                expected.add("unpreserve:" + name + ":" + tokens.get(i));
            }
            return same(expected, log.take(), "unpreserve order");
        }

        /** Closing a retrieved incoming session finishes it if it was not finished, and removes it. */
        private String closeIncoming(String name) {
            Session s = retrieved.remove(name);
            if (s == null) {
                return null;
            }
            List<Long> tokens = modelIncoming.get(name);
            List<String> expected = new ArrayList<>();
            if (tokens != null) {
                tokens.forEach(t -> expected.add("canFinish:" + name + ":" + t));
                for (int i = tokens.size() - 1; i >= 0; i--) {
                    expected.add("finish:" + name + ":" + tokens.get(i));
                }
            }
            log.take();
            String outcome = expect(null, () -> {
                s.close();
                modelIncoming.remove(name);
                modelListed.remove(name);
            });
            return outcome != null ? outcome : same(expected, log.take(), "finish order on close");
        }

        private String preserve(String name, long token, int fileIndex) {
            Session s = outgoing.get(name);
            if (s == null) {
                return null;
            }
            boolean handlerFails = token == 5;
            Errno expected = modelOutgoing.get(name).contains(token) ? Errno.EEXIST
                    : fileIndex == 8 ? Errno.EBADF
                    : fileIndex == 9 ? Errno.ENOENT
                    : modelFilesInUse.contains(fileIndex) ? Errno.EBUSY
                    : handlerFails ? Errno.EIO : null;
            if (handlerFails) {
                handler.failPreserve.add(5L);
            }
            return expect(expected, () -> {
                s.preserve(token, files[fileIndex]);
                modelOutgoing.get(name).add(token);
                modelFileOf.get(name).put(token, fileIndex);
                modelFilesInUse.add(fileIndex);
            });
        }

        private String failedUpgrade(int pick) {
            // freeze fails on the first file, in freeze order, whose token is the picked file's token
            long failingToken = -1;
            int n = 0;
            for (List<Long> tokens : modelOutgoing.values()) {
                for (long t : tokens) {
                    if (n++ == pick) {
                        failingToken = t;
                    }
                }
            }
            if (failingToken < 0) {
                return null;
            }
            String failingSession = null;
            for (var e : modelOutgoing.entrySet()) {
                if (failingSession == null && e.getValue().contains(failingToken)) {
                    failingSession = e.getKey();
                }
            }
            // expected: freeze in order up to the failing file; unfreeze that session's earlier files, then earlier sessions in reverse
            List<String> sessionsBefore = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (var e : modelOutgoing.entrySet()) {
                if (e.getKey().equals(failingSession)) {
                    List<String> earlier = new ArrayList<>();
                    for (long t : e.getValue()) {
                        expected.add("freeze:" + e.getKey() + ":" + t);
                        if (t == failingToken) {
                            break;
                        }
                        earlier.add("unfreeze:" + e.getKey() + ":" + t);
                    }
                    expected.addAll(earlier);
                    break;
                }
                for (long t : e.getValue()) {
                    expected.add("freeze:" + e.getKey() + ":" + t);
                }
                sessionsBefore.add(e.getKey());
            }
            for (int i = sessionsBefore.size() - 1; i >= 0; i--) {
                for (long t : modelOutgoing.get(sessionsBefore.get(i))) {
                    expected.add("unfreeze:" + sessionsBefore.get(i) + ":" + t);
                }
            }
            handler.failFreeze.add(failingToken);
            log.take();
            String outcome = expect(Errno.EIO, luo::prepareUpgrade);
            handler.failFreeze.clear();
            return outcome != null ? outcome : same(expected, log.take(), "freeze/unfreeze order");
        }

        private String rolledBack() {
            luo.prepareUpgrade().rollback();
            return sameState();
        }

        private String upgrade() {
            log.take();
            Handover handover = luo.upgrade();
            List<String> expectedFreezes = new ArrayList<>();
            modelOutgoing.forEach((s, tokens) -> tokens.forEach(t -> expectedFreezes.add("freeze:" + s + ":" + t)));
            String order = same(expectedFreezes, log.starting("freeze"), "freeze order");
            if (order != null) {
                return order;
            }
            handler = new TestHandler("t-v1", log);
            luo = LiveUpdateOrchestrator.create();
            luo.registerHandler(handler);
            luo.loadIncoming(handover);
            generation++;
            if (luo.generation() != generation) {
                return "generation " + luo.generation() + ", expected " + generation;
            }
            modelIncoming.clear();
            modelIncoming.putAll(modelOutgoing);
            modelListed.clear();
            modelListed.addAll(modelOutgoing.keySet());
            modelOutgoing.clear();
            modelRetrieved.clear();
            modelFilesInUse.clear();
            modelFileOf.clear();
            outgoing.clear();
            retrieved.clear();
            for (int i = 0; i < 8; i++) {
                files[i] = new TestFile("t-v1", "g" + generation + "f" + i);
            }
            return same(List.copyOf(modelIncoming.keySet()), luo.incomingSessionNames(), "incoming sessions");
        }

        private String retrieve(String name, long token) {
            Session s = retrieved.get(name);
            if (s == null) {
                return null;
            }
            Errno expected = modelIncoming.getOrDefault(name, List.of()).contains(token) ? null : Errno.ENOENT;
            return expect(expected, () -> {
                TestFile file = s.retrieve(token, TestFile.class);
                assertEquals("data-" + token, file.id);
            });
        }

        private String finish(String name, boolean blocked) {
            Session s = retrieved.get(name);
            if (s == null) {
                return null;
            }
            List<Long> tokens = modelIncoming.get(name);
            if (tokens == null) {
                return expect(null, s::finish); // finished before: nothing to do
            }
            if (blocked && !tokens.isEmpty()) {
                handler.notReady.add(tokens.get(tokens.size() - 1));
            }
            String outcome = expect(blocked && !tokens.isEmpty() ? Errno.EBUSY : null, () -> {
                s.finish();
                modelIncoming.remove(name);
            });
            handler.notReady.clear();
            return outcome;
        }

        /** Runs {@code call}; checks it failed with {@code expected} (or succeeded when null), then the state. */
        private String expect(Errno expected, Runnable call) {
            Errno actual = null;
            try {
                call.run();
            } catch (LiveUpdateException e) {
                actual = e.reason();
            } finally {
                handler.failPreserve.clear();
            }
            if (actual != expected) {
                return "expected " + (expected == null ? "success" : expected) + ", got " + (actual == null ? "success" : actual);
            }
            return sameState();
        }

        private String sameState() {
            Map<String, List<Long>> actualOut = new LinkedHashMap<>();
            for (SessionStatus s : luo.status().outgoing()) {
                actualOut.put(s.name(), s.files().stream().map(SessionStatus.FileStatus::token).toList());
            }
            Map<String, List<Long>> actualIn = new LinkedHashMap<>();
            for (SessionStatus s : luo.status().incoming()) {
                actualIn.put(s.name(), s.files().stream().map(SessionStatus.FileStatus::token).toList());
            }
            if (!actualOut.equals(modelOutgoing)) {
                return "outgoing " + actualOut + ", model " + modelOutgoing;
            }
            if (!actualIn.equals(modelIncoming)) {
                return "incoming " + actualIn + ", model " + modelIncoming;
            }
            return null;
        }

        private static String same(List<String> expected, List<String> actual, String what) {
            return expected.equals(actual) ? null : what + ": expected " + expected + ", got " + actual;
        }
    }
}
