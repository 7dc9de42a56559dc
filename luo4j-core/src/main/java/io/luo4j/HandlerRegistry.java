package io.luo4j;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The registered file handlers, in registration order (the order preserve probes them) and by
 * compatible string (how deserialization finds them). A handler is the object registered, compared
 * by reference. Changed only while the orchestrator is quiescent; read without locks.
 */
final class HandlerRegistry {
    private final List<FileHandler> handlers = new CopyOnWriteArrayList<>();
    private final Map<String, FileHandler> byCompatible = new ConcurrentHashMap<>();

    /**
     * Checks {@code handler} alone: EINVAL for a null, empty, too long or unprintable compatible
     * string. (A missing required callback cannot get this far: it does not compile.)
     */
    static void validate(FileHandler handler) {
        CompatibleName.check(handler.compatible(), "file handler");
    }

    /** Adds {@code handler}; EEXIST if it, or another with its compatible string, is registered. */
    void add(FileHandler handler) {
        FileHandler existing = byCompatible.putIfAbsent(handler.compatible(), handler);
        if (existing != null) {
            throw new LiveUpdateException(Errno.EEXIST, "a file handler for \"" + handler.compatible()
                    + "\" is already registered: each compatible string names one handler; version the new one (e.g. -v2)");
        }
        handlers.add(handler);
    }

    /** Removes {@code handler}, this very object; ENOENT if it is not registered. */
    void remove(FileHandler handler) {
        if (!contains(handler)) {
            throw new LiveUpdateException(Errno.ENOENT, "file handler " + handler.compatible() + " is not registered");
        }
        byCompatible.remove(handler.compatible());
        handlers.removeIf(registered -> registered == handler);
    }

    /** Whether this very object is registered. */
    boolean contains(FileHandler handler) {
        return byCompatible.get(handler.compatible()) == handler;
    }

    /** The first handler, in registration order, that can preserve {@code file}; ENOENT if none. */
    FileHandler probe(Object file) {
        for (FileHandler handler : handlers) {
            boolean accepted = Callbacks.invoke(() -> "file handler " + handler.compatible() + " canPreserve",
                    () -> handler.canPreserve(file));
            if (accepted) {
                return handler;
            }
        }
        throw new LiveUpdateException(Errno.ENOENT, "no registered file handler can preserve " + describe(file)
                + ": register a handler whose canPreserve accepts it (luo4j-linux has memfd, socket and file handlers)");
    }

    /** The handler registered for {@code compatible}, or null. */
    FileHandler byCompatible(String compatible) {
        return byCompatible.get(compatible);
    }

    /** The registered handlers, in registration order. */
    List<FileHandler> inOrder() {
        return List.copyOf(handlers);
    }

    private static String describe(Object file) {
        return file.getClass().getName();
    }
}
