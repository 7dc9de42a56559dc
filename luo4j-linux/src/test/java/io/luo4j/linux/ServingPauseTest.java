package io.luo4j.linux;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A serving loop on its own thread, paused and resumed as an upgrade and its rollback do. */
class ServingPauseTest {
    @Test
    void withoutAPauseTheLoopDoesNotPark() {
        AtomicInteger recorded = new AtomicInteger();
        assertTrue(new ServingPause(() -> {}).parkIfRequested(recorded::incrementAndGet), "serve on");
        assertEquals(0, recorded.get(), "nothing is recorded when no upgrade asked");
    }

    @Test
    void pauseReturnsOnlyOnceTheLoopRecordedAndParked_andResumeLetsItServeOn() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        AtomicInteger recorded = new AtomicInteger();
        CountDownLatch woken = new CountDownLatch(1);
        ServingPause pause = new ServingPause(woken::countDown);
        CountDownLatch stop = new CountDownLatch(1);
        Thread loop = Thread.ofPlatform().start(() -> {
            while (stop.getCount() > 0) {
                pause.parkIfRequested(recorded::incrementAndGet);
                rounds.incrementAndGet();
                Thread.onSpinWait();
            }
        });

        pause.pause();
        assertEquals(0, woken.getCount(), "the loop was woken");
        assertEquals(1, recorded.get(), "what was in flight was recorded before pause returned");
        int roundsWhilePaused = rounds.get();
        await("a paused loop parks").atMost(10, TimeUnit.SECONDS).until(() -> loop.getState() == Thread.State.WAITING);
        assertEquals(roundsWhilePaused, rounds.get(), "a paused loop does no work");

        pause.resume();
        await("after a rollback the loop serves on").atMost(10, TimeUnit.SECONDS).until(() -> rounds.get() > roundsWhilePaused);

        pause.pause(); // a second upgrade pauses it again
        assertEquals(2, recorded.get());
        pause.resume();
        stop.countDown();
        loop.join(10_000);
        assertFalse(loop.isAlive());
    }

    @Test
    void aCommitEndsTheLoopWithoutAnotherRound() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        ServingPause pause = new ServingPause(() -> {});
        Thread loop = Thread.ofPlatform().start(() -> {
            while (pause.parkIfRequested(() -> {})) {
                rounds.incrementAndGet();
                Thread.onSpinWait();
            }
        });
        pause.pause();
        int atCommit = rounds.get();
        pause.handOver();
        loop.join(10_000);
        assertFalse(loop.isAlive(), "the loop ended: the successor serves its clients");
        assertEquals(atCommit, rounds.get(), "no round ran after the hand-over");
        assertFalse(pause.parkIfRequested(() -> {}), "and it stays ended");
    }
}
