package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.JdkChannels;
import io.luo4j.linux.internal.Libc;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code file-v1}: an open regular file, a JDK {@link FileChannel}, travels as its descriptor: the
 * same open file, so its flags (O_APPEND, access mode) and position carry over as they are. State:
 * path, flags and position, recorded at preserve and freeze; the successor puts the position back
 * to the recorded one and checks the path still names the same kind of file.
 */
final class RegularFileHandler extends DescriptorHandler {
    static final String COMPATIBLE = "file-v1";

    RegularFileHandler() {
        super(COMPATIBLE);
    }

    private record State(String path, int flags, long position) {}

    @Override
    public boolean canPreserve(Object file) {
        if (!(file instanceof FileChannel channel) || !channel.isOpen()) {
            return false;
        }
        try {
            return Libc.fstat(JdkChannels.fdOf(channel)).isRegularFile();
        } catch (LiveUpdateException e) {
            return false;
        }
    }

    @Override
    int descriptorOf(Object file) {
        return JdkChannels.fdOf((FileChannel) file);
    }

    @Override
    byte[] stateOf(Object file, int reference) {
        int fd = descriptorOf(file);
        String path = pathOf(fd);
        int flags = Libc.fcntl(fd, Libc.F_GETFL, 0);
        long position = Libc.lseek(fd, 0, Libc.SEEK_CUR);
        return HandlerState.write(out -> {
            out.writeUTF(path);
            out.writeInt(flags);
            out.writeLong(position);
        });
    }

    @Override
    Object rebuild(int fd, byte[] data) {
        State state = HandlerState.read(data, COMPATIBLE, in -> new State(in.readUTF(), in.readInt(), in.readLong()));
        if (!Libc.fstat(fd).isRegularFile()) {
            throw new LiveUpdateException(Errno.EBADMSG, "file-v1: the received descriptor is not a regular file");
        }
        Libc.lseek(fd, state.position(), Libc.SEEK_SET);
        int access = state.flags() & Libc.O_ACCMODE;
        return JdkChannels.file(fd, state.path(), access != 1, access != 0);
    }

    private static String pathOf(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
