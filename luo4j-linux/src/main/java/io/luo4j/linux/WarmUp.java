package io.luo4j.linux;

import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import java.util.List;

/**
 * An application's part of the start-up warm-up: what it preserves and how its successor takes
 * it over, run on throwaway resources inside this process (see {@link LiveUpdate.Builder#warmUp(WarmUp)}),
 * so that the real take-over, which clients wait for, runs compiled code.
 */
public interface WarmUp {
    /**
     * Creates throwaway resources like the service's own and preserves them in
     * {@code predecessor} (the built-in handlers are registered); adds what must be closed
     * afterwards to {@code owned}.
     */
    void preserve(LiveUpdateOrchestrator predecessor, List<AutoCloseable> owned) throws Exception;

    /**
     * Takes them over from {@code successor} with the service's real take-over code; adds what
     * it built to {@code owned} and returns the sessions it retrieved (they are finished next).
     */
    List<Session> takeOver(LiveUpdateOrchestrator successor, List<AutoCloseable> owned) throws Exception;

    /** How many throwaway upgrades to run; enough for the JIT to compile the take-over. */
    default int rounds() {
        return 50;
    }
}
