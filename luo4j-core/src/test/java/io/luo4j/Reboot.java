package io.luo4j;

import java.util.function.Consumer;

/** The same-JVM "reboot": upgrade one orchestrator and load its handover into a fresh one. */
final class Reboot {
    private Reboot() {}

    /** Upgrades {@code from}, then builds a successor, lets {@code register} register its handlers, and loads the image. */
    static LiveUpdateOrchestrator into(LiveUpdateOrchestrator from, Consumer<LiveUpdateOrchestrator> register) {
        Handover handover = from.upgrade();
        LiveUpdateOrchestrator next = LiveUpdateOrchestrator.builder().limits(from.limits()).build();
        register.accept(next);
        next.loadIncoming(handover);
        return next;
    }
}
