package io.luo4j.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.luo4j.linux.LiveUpdate;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * luo4j-netty's warm-up runs inside a real start-up, on each transport: throwaway listeners and
 * connections (raw descriptors for epoll) are preserved, handed over inside the process and taken
 * over by the successor's own code into the transport's channels; a failure would fail start-up.
 */
class NettyWarmUpTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(NettyLiveUpdate.Transport.class)
    void startUpRunsTheTakeOverOnThrowawayHandovers(NettyLiveUpdate.Transport transport) {
        try (LiveUpdate live = LiveUpdate.builder("warm-" + transport.name().toLowerCase()).runtimeDirectory(dir)
                .warmUp(NettyLiveUpdate.warmUp(transport)).start()) {
            assertFalse(live.isSuccessor());
            assertEquals(0, live.generation());
            // the warm-up's sessions are gone: only luo4j's own (its control socket) is left
            assertEquals(java.util.List.of("luo4j"), live.orchestrator().status().outgoing().stream()
                    .map(io.luo4j.OrchestratorStatus.SessionStatus::name).toList());
            assertEquals(0, live.orchestrator().status().incoming().size());
        }
    }
}
