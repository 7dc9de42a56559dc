package io.luo4j.bench.core;

import io.luo4j.FileHandler;
import io.luo4j.FileOpArgs;
import io.luo4j.Handover;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The core benchmarks' workload: 10,000 sessions of 10 files each, the files plain Java objects
 * handled by a minimal handler (8 bytes of data each), so that what is measured is the
 * orchestrator's own bookkeeping, not a file type's.
 */
public final class Workload {
    public static final int SESSIONS = 10_000;
    public static final int FILES = 10;
    public static final int OPERATIONS = SESSIONS * FILES;

    /** A file the benchmark handler preserves: an id, and nothing behind it. */
    public record BenchFile(long id) {}

    private Workload() {}

    public static String sessionName(int i) {
        return "session-" + i;
    }

    /** {@code bench-file-v1}: 8 bytes of data per file (its id), retrieve rebuilds it. */
    public static FileHandler handler() {
        return new BenchFileHandler();
    }

    /** The handler behind {@link #handler()}: as little as a handler can do. */
    private static final class BenchFileHandler implements FileHandler {
        /** "bench-file-v1". */
        @Override
        public String compatible() {
            return "bench-file-v1";
        }

        /** Any {@link BenchFile}. */
        @Override
        public boolean canPreserve(Object file) {
            return file instanceof BenchFile;
        }

        /** The file's id, 8 bytes. */
        @Override
        public void preserve(FileOpArgs a) {
            a.setSerializedData(ByteBuffer.allocate(8).putLong(((BenchFile) a.file()).id()).array());
        }

        /** Nothing to release. */
        @Override
        public void unpreserve(FileOpArgs a) {}

        /** A file with the same id. */
        @Override
        public void retrieve(FileOpArgs a) {
            a.setFile(new BenchFile(ByteBuffer.wrap(a.serializedData()).getLong()));
        }

        /** Nothing to release. */
        @Override
        public void finish(FileOpArgs a) {}
    }

    /** A fresh orchestrator with the handler. */
    public static LiveUpdateOrchestrator orchestrator() {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        luo.registerHandler(handler());
        return luo;
    }

    /** The files, one per operation, in session-major order. */
    public static List<BenchFile> files() {
        List<BenchFile> files = new ArrayList<>(OPERATIONS);
        for (int i = 0; i < OPERATIONS; i++) {
            files.add(new BenchFile(i));
        }
        return files;
    }

    /** Creates every session in {@code luo}. */
    public static List<Session> createSessions(LiveUpdateOrchestrator luo) {
        List<Session> sessions = new ArrayList<>(SESSIONS);
        for (int s = 0; s < SESSIONS; s++) {
            sessions.add(luo.createSession(sessionName(s)));
        }
        return sessions;
    }

    /** Preserves file {@code s * FILES + f} as token {@code f} of session {@code s}. */
    public static void preserveAll(List<Session> sessions, List<BenchFile> files) {
        for (int s = 0; s < SESSIONS; s++) {
            Session session = sessions.get(s);
            for (int f = 0; f < FILES; f++) {
                session.preserve(f, files.get(s * FILES + f));
            }
        }
    }

    /** The whole workload preserved and upgraded: the handover a successor loads. */
    public static Handover handover() {
        LiveUpdateOrchestrator luo = orchestrator();
        preserveAll(createSessions(luo), files());
        return luo.upgrade();
    }

    /** A successor that has loaded {@code handover} (deserialized, nothing retrieved yet). */
    public static LiveUpdateOrchestrator successor(Handover handover) {
        LiveUpdateOrchestrator luo = orchestrator();
        luo.loadIncoming(handover.image().duplicate(), handover.descriptors());
        luo.deserialize();
        return luo;
    }
}
