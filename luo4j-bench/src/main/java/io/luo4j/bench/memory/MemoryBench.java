package io.luo4j.bench.memory;

import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.bench.core.Workload;
import io.luo4j.linux.LiveUpdate;
import io.luo4j.linux.Memfd;
import io.luo4j.linux.OpenFileLimit;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Memory overhead: the Java heap the orchestrator keeps per session and per preserved file, read
 * as the heap in use after full collections before and after (in this JVM), against the same
 * structure as plain HashMaps; the same per real memfd preserved by the built-in handler (its
 * handler state included); and the image's bytes per file.
 */
public final class MemoryBench {
    /** Real memfds preserved for the per-descriptor figure, in sessions of ten. */
    static final int MEMFDS = 10_000;

    private MemoryBench() {}

    public static MemoryResult run(Consumer<String> progress) throws InterruptedException {
        progress.accept("memory: " + Workload.SESSIONS + " sessions x " + Workload.FILES + " files, then " + MEMFDS + " real memfds");
        List<Workload.BenchFile> files = Workload.files();

        long empty = usedHeap();
        LiveUpdateOrchestrator luo = Workload.orchestrator();
        List<Session> sessions = Workload.createSessions(luo);
        long withSessions = usedHeap();
        Workload.preserveAll(sessions, files);
        long withFiles = usedHeap();
        Reference.reachabilityFence(luo);

        long baselineEmpty = usedHeap();
        Map<String, Map<Long, Object>> maps = new HashMap<>();
        List<Map<Long, Object>> sessionMaps = new ArrayList<>();
        for (int s = 0; s < Workload.SESSIONS; s++) {
            Map<Long, Object> session = new HashMap<>();
            maps.put(Workload.sessionName(s), session);
            sessionMaps.add(session);
        }
        long baselineWithSessions = usedHeap();
        for (int s = 0; s < Workload.SESSIONS; s++) {
            for (int f = 0; f < Workload.FILES; f++) {
                sessionMaps.get(s).put((long) f, files.get(s * Workload.FILES + f));
            }
        }
        long baselineWithFiles = usedHeap();
        Reference.reachabilityFence(maps);

        long imageBytes = luo.upgrade().image().remaining();
        double perMemfd = perPreservedMemfd();
        return new MemoryResult(
                (double) (withSessions - empty) / Workload.SESSIONS, (double) (withFiles - withSessions) / Workload.OPERATIONS,
                (double) (baselineWithSessions - baselineEmpty) / Workload.SESSIONS,
                (double) (baselineWithFiles - baselineWithSessions) / Workload.OPERATIONS,
                perMemfd, (double) imageBytes / Workload.OPERATIONS, imageBytes);
    }

    /** Heap per real memfd preserved with the built-in handlers (sessions created first). */
    private static double perPreservedMemfd() throws InterruptedException {
        OpenFileLimit.raise(MEMFDS + 4096L);
        List<Memfd> memfds = new ArrayList<>(MEMFDS);
        try {
            for (int i = 0; i < MEMFDS; i++) {
                memfds.add(Memfd.create("memory-" + i, 0));
            }
            LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
            LiveUpdate.descriptorHandlers().forEach(luo::registerHandler);
            List<Session> sessions = new ArrayList<>();
            for (int s = 0; s < MEMFDS / 10; s++) {
                sessions.add(luo.createSession("memfds-" + s));
            }
            long before = usedHeap();
            for (int i = 0; i < MEMFDS; i++) {
                sessions.get(i / 10).preserve(i % 10, memfds.get(i));
                memfds.get(i).close(); // the preserved reference keeps the file, as in the fds suite
            }
            long after = usedHeap();
            Reference.reachabilityFence(luo);
            sessions.forEach(Session::close);
            return (double) (after - before) / MEMFDS;
        } finally {
            memfds.forEach(Memfd::close);
        }
    }

    /** The heap in use after full collections, once it stops shrinking. */
    static long usedHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(20);
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return used;
            }
            used = now;
        }
        return used;
    }
}
