package io.luo4j;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * The files of one session, the kernel's {@code luo_file_set}: in preservation order (freeze and
 * can_finish walk it forwards, unpreserve and finish backwards), found by token in O(1).
 *
 * <p>A session allocates its file set with its first file and drops it when the last one goes, as
 * the kernel allocates and frees a session's serialization memory.
 */
final class FileSet {
    private final SequencedMap<Long, PreservedFile> byToken = new LinkedHashMap<>();

    boolean contains(long token) {
        return byToken.containsKey(token);
    }

    PreservedFile get(long token) {
        return byToken.get(token);
    }

    void add(PreservedFile file) {
        byToken.put(file.token, file);
    }

    int size() {
        return byToken.size();
    }

    boolean isEmpty() {
        return byToken.isEmpty();
    }

    /** The files in preservation order. */
    Collection<PreservedFile> inOrder() {
        return byToken.values();
    }

    /** The files newest first. */
    List<PreservedFile> newestFirst() {
        return new ArrayList<>(byToken.reversed().values());
    }
}
