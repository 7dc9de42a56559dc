package io.luo4j.bench.fds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.bench.Profile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The descriptor suite end to end, small: a real service JVM preserves 1 and then 300 memfds (more
 * than one SCM_RIGHTS batch, past the kernel's 128) and is live-updated once each, against the raw
 * transfer. What is checked is that it works and reports what happened, not how fast.
 */
class DescriptorBenchTest {
    @TempDir
    Path scratch;

    @Test
    void aServiceHandsOverEveryDescriptorAndTheReportSaysSo() throws InterruptedException {
        Profile small = new Profile("test", 1, 1, 1, List.of(), List.of(1, 300), new Profile.Jmh(0, 1, 1, Duration.ofMillis(100)));
        List<String> progress = new ArrayList<>();
        DescriptorResult result = DescriptorBench.run(small, scratch, progress::add);

        assertEquals(List.of(), result.functionalErrors());
        assertEquals(2, result.counts().size());
        for (CountResult count : result.counts()) {
            assertEquals("", count.error(), "count " + count.count());
            assertEquals(1, count.handover().count());
            assertEquals(1, count.baseline().count());
            assertTrue(count.descriptors() >= count.count(), count.descriptors() + " descriptors sent for " + count.count() + " memfds");
            assertTrue(count.handover().median() > 0 && count.baseline().median() > 0);
            assertTrue(count.imageBytes() > 0);
        }
        assertTrue(progress.stream().anyMatch(line -> line.contains("luo4j upgrade 1/1")), progress.toString());
        assertTrue(result.targets().stream().anyMatch(t -> t.target().contains("128") && t.met()), "300 is past the kernel's cap");
    }

    @Test
    void theLargestCountTheLimitAllowsLeavesRoomForTheServiceItself() {
        int largest = DescriptorBench.largestAllowed();
        assertEquals(0, largest % 1000);
        assertTrue(DescriptorService.requiredOpenFiles(largest) <= io.luo4j.linux.OpenFileLimit.hard());
    }
}
