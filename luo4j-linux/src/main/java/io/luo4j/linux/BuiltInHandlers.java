package io.luo4j.linux;

import io.luo4j.FileHandler;
import java.util.List;

/**
 * The built-in handlers of descriptor-backed files, in the order they are probed: memfds, TCP and
 * Unix listeners, TCP connections, regular files. Each call makes fresh instances, for an
 * orchestrator of its own; the arena's region handler and FLB belong to a {@link LiveUpdate} and
 * are registered by it.
 */
final class BuiltInHandlers {
    private BuiltInHandlers() {}

    static List<FileHandler> forDescriptors() {
        return List.of(new MemfdHandler(), ListenerHandler.tcp(), ListenerHandler.unix(), new ConnectionHandler(),
                new RegularFileHandler());
    }

    /** The compatible strings of every built-in handler, the arena's region handler last. */
    static List<String> compatibles() {
        return List.of(MemfdHandler.COMPATIBLE, ListenerHandler.TCP, ListenerHandler.UNIX, ConnectionHandler.COMPATIBLE,
                RegularFileHandler.COMPATIBLE, ArenaHandlers.REGION_COMPATIBLE);
    }
}
