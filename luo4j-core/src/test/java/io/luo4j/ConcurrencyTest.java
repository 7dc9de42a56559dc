package io.luo4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.luo4j.image.Image;
import io.luo4j.image.ImageEntry;
import io.luo4j.image.ImageReader;
import io.luo4j.image.ImageSession;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lock hierarchy under load: worker threads create sessions, preserve files and close sessions
 * while another thread keeps freezing, checking the image and rolling back. Nothing may deadlock,
 * every image must be a consistent cut, and a final upgrade must carry exactly what is open.
 */
class ConcurrencyTest {
    private static final int WORKERS = 6;
    private static final int ROUNDS_PER_WORKER = 400;

    @Test
    void createPreserveAndCloseRaceUpgradesWithoutDeadlockAndEveryImageIsConsistent() throws Exception {
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        FileHandler handler = new TestHandler("t-v1", new CallLog());
        luo.registerHandler(handler);
        Flb counter = new PlainFlb("count-v1") {
            @Override
            public void preserve(FlbOpArgs a) {
                a.setObject("shared");
            }

            @Override
            public void retrieve(FlbOpArgs a) {
                a.setObject("shared");
            }
        };
        luo.registerFlb(handler, counter);

        Map<String, List<Long>> open = new ConcurrentHashMap<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean workersDone = new AtomicBoolean();
        AtomicInteger images = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();

        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().name("worker-" + w).start(() -> {
                Random random = new Random(worker);
                try {
                    start.await();
                    for (int round = 0; round < ROUNDS_PER_WORKER; round++) {
                        String name = "w" + worker + "-" + round;
                        Session s = luo.createSession(name);
                        List<Long> tokens = new ArrayList<>();
                        int files = random.nextInt(6);
                        for (long t = 0; t < files; t++) {
                            s.preserve(t, new TestFile("t-v1", name + "/" + t));
                            tokens.add(t);
                        }
                        if (random.nextInt(3) == 0) {
                            open.put(name, tokens);
                        } else {
                            s.close();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.add(Thread.ofPlatform().name("upgrader").start(() -> {
            try {
                start.await();
                while (!workersDone.get()) {
                    try (PreparedUpgrade upgrade = luo.prepareUpgrade()) {
                        checkConsistent(ImageReader.read(upgrade.handover().image()));
                        images.incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }));
        threads.add(Thread.ofPlatform().name("status").start(() -> {
            try {
                start.await();
                while (!workersDone.get()) {
                    OrchestratorStatus status = luo.status();
                    assertTrue(status.generation() == 0);
                }
            } catch (Throwable e) {
                errors.add(e);
            }
        }));

        start.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (Thread t : threads.subList(0, WORKERS)) {
            awaitOrReportDeadlock(t, deadline);
        }
        workersDone.set(true);
        for (Thread t : threads.subList(WORKERS, threads.size())) {
            awaitOrReportDeadlock(t, deadline);
        }
        if (!errors.isEmpty()) {
            errors.forEach(Throwable::printStackTrace);
            fail("threads failed: " + errors);
        }
        assertTrue(images.get() > 0, "the upgrader produced no image");

        LiveUpdateOrchestrator next = Reboot.into(luo, n -> {
            FileHandler h = new TestHandler("t-v1", new CallLog());
            n.registerHandler(h);
            n.registerFlb(h, counter);
        });
        assertEquals(new HashSet<>(open.keySet()), new HashSet<>(next.incomingSessionNames()));
        for (var e : open.entrySet()) {
            Session in = next.retrieveSession(e.getKey());
            assertEquals(e.getValue(), in.tokens());
            in.finish();
        }
    }

    /** Every file appears once per session, and the FLB counts exactly the files in the image. */
    private static void checkConsistent(Image image) {
        long files = 0;
        for (ImageSession session : image.sessions()) {
            Set<Long> tokens = new HashSet<>();
            for (ImageEntry file : session.files()) {
                assertTrue(tokens.add(file.token()), "token twice in " + session.name());
                assertEquals("data-" + file.token(), new String(file.data(), java.nio.charset.StandardCharsets.UTF_8));
                files++;
            }
        }
        long users = image.flbs().isEmpty() ? 0 : image.flbs().get(0).users();
        assertEquals(files, users, "FLB users against files in the same image");
    }

    private static void awaitOrReportDeadlock(Thread thread, long deadline) throws InterruptedException {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (thread.isAlive()) {
            long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
            StringBuilder dump = new StringBuilder();
            for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
                dump.append(info);
            }
            assertNull(deadlocked, "deadlock:\n" + dump);
            fail(thread.getName() + " did not finish in time:\n" + dump);
        }
    }
}
