package io.luo4j;

import java.util.HashMap;
import java.util.Map;

/** An in-memory descriptor table that counts the references the orchestrator holds. */
class CountingFileTable implements FileTable {
    private final Map<Integer, Object> open = new HashMap<>();
    private final Map<Object, Integer> references = new HashMap<>();
    private int next = 100;

    synchronized int add(Object file) {
        int fd = next++;
        open.put(fd, file);
        return fd;
    }

    synchronized void closeDescriptor(int fd) {
        open.remove(fd);
    }

    /** References the orchestrator holds on {@code file} now. */
    synchronized int references(Object file) {
        return references.getOrDefault(file, 0);
    }

    synchronized Object at(int fd) {
        return open.get(fd);
    }

    @Override
    public synchronized Object acquire(int fd) {
        Object file = open.get(fd);
        if (file == null) {
            throw new LiveUpdateException(Errno.EBADF, "test table: descriptor " + fd + " is not open");
        }
        references.merge(file, 1, Integer::sum);
        return file;
    }

    @Override
    public synchronized void release(Object file) {
        references.merge(file, -1, Integer::sum);
    }

    @Override
    public synchronized int install(Object file) {
        return add(file);
    }
}
