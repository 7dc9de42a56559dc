package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.Libc;

/**
 * {@code memfd-v1}: a {@link Memfd} travels as its descriptor; the successor maps the same pages.
 * State: name, size, seals, file position, read through the preserved duplicate, so the
 * application may close its own {@code Memfd} once preserved (the orchestrator's reference holds
 * the file, as the kernel's does).
 *
 * <p>The size is frozen while preserved: the {@code Memfd} object refuses to change it, and since
 * anyone with the descriptor (this process through another path, or another process) could still
 * {@code ftruncate} it, preserve and freeze compare the kernel's size with the frozen one and
 * refuse (EBUSY) when they differ: a freeze that finds the memfd resized behind luo4j's back fails
 * the upgrade cleanly, before anything is handed over, and the service serves on. luo4j does not
 * seal the size instead: seals can never be taken off, and a preserved memfd thaws again when its
 * session closes, and in the successor.
 */
final class MemfdHandler extends DescriptorHandler {
    static final String COMPATIBLE = "memfd-v1";

    MemfdHandler() {
        super(COMPATIBLE);
    }

    private record State(String name, long size, int seals, long position) {}

    /** An open {@link Memfd}. */
    @Override
    public boolean canPreserve(Object file) {
        return file instanceof Memfd memfd && memfd.isOpen();
    }

    @Override
    int descriptorOf(Object file) {
        return ((Memfd) file).fd();
    }

    @Override
    byte[] stateOf(Object file, int reference) {
        Memfd memfd = (Memfd) file;
        long frozen = memfd.size(); // kept by a closed Memfd too
        long actual = Libc.fstat(reference).size();
        if (actual != frozen) {
            throw new LiveUpdateException(Errno.EBUSY, "memfd \"" + memfd.name() + "\" is preserved with " + frozen
                    + " bytes but now has " + actual + ": something resized it behind luo4j's back (ftruncate on its descriptor,"
                    + " or another process); its size must not change while it is preserved. Nothing was handed over");
        }
        return HandlerState.write(out -> {
            out.writeUTF(memfd.name());
            out.writeLong(frozen);
            out.writeInt(Libc.fcntl(reference, Libc.F_GET_SEALS, 0));
            out.writeLong(Libc.lseek(reference, 0, Libc.SEEK_CUR));
        });
    }

    @Override
    void preserved(Object file) {
        ((Memfd) file).freezeSize(true);
    }

    @Override
    void unpreserved(Object file) {
        ((Memfd) file).freezeSize(false);
    }

    @Override
    Object rebuild(int fd, byte[] data) {
        State state = HandlerState.read(data, COMPATIBLE,
                in -> new State(in.readUTF(), in.readLong(), in.readInt(), in.readLong()));
        long size = Libc.fstat(fd).size();
        if (size != state.size()) {
            throw new LiveUpdateException(Errno.EBADMSG, "memfd \"" + state.name() + "\" arrived with " + size
                    + " bytes but was preserved with " + state.size());
        }
        Memfd memfd = Memfd.adopt(state.name(), fd);
        memfd.position(state.position());
        return memfd;
    }
}
