package io.luo4j;

import java.util.ArrayList;
import java.util.List;

/** The callbacks handlers and FLBs saw, in order, as "callback:session:token" strings. */
final class CallLog {
    private final List<String> events = new ArrayList<>();

    synchronized void add(String event) {
        events.add(event);
    }

    /** Everything logged so far, and clears the log. */
    synchronized List<String> take() {
        List<String> copy = List.copyOf(events);
        events.clear();
        return copy;
    }

    /** The logged events that start with {@code prefix}, without clearing. */
    synchronized List<String> starting(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }
}
