package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.Libc;

/**
 * {@code memfd-v1}: a {@link Memfd} travels as its descriptor; the successor maps the same pages.
 * State: name, size, seals, file position; seals and position are read through the preserved
 * duplicate and the size is the one frozen at preserve, so the application may close its own
 * {@code Memfd} once preserved (the kernel's file reference holds it). The size is frozen while preserved; the successor's memfd is not.
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
        return HandlerState.write(out -> {
            out.writeUTF(memfd.name());
            out.writeLong(memfd.size()); // frozen while preserved, and kept by a closed Memfd: no fstat on the freeze path
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
