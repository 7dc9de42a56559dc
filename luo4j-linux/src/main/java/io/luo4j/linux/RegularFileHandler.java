package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.FileIdentity;
import io.luo4j.linux.internal.JdkChannels;
import io.luo4j.linux.internal.Libc;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code file-v1}: an open regular file, a JDK {@link FileChannel}, travels as its descriptor: the
 * same open file, so its flags (O_APPEND, access mode) and position carry over as they are. State:
 * path, flags and position, recorded at preserve and freeze (the path as the kernel names the open
 * file then).
 *
 * <p>The successor checks that the received descriptor is a regular file (EBADMSG otherwise), puts
 * the position back to the recorded one, reopens the channel with the recorded access mode, and
 * compares the recorded path with the file it received ({@link #pathStatus}):
 * <ul>
 *   <li>the path names the same file (same device and inode): nothing to say;</li>
 *   <li>the path is gone (the file was deleted, before or after freeze): the file is still open
 *       and carries over without a name, as a deleted-but-open file does; this is logged (INFO) and
 *       accepted;</li>
 *   <li>the path names another file (renamed over, as log rotation does): the descriptor, not the
 *       name, is what the predecessor had open, so the successor gets that same file; this is logged
 *       (WARNING) and accepted, and the channel keeps the recorded path only as its name.</li>
 * </ul>
 * None of these fails the retrieve: a failed retrieve is final, and refusing a file whose name
 * moved would lose an open file the predecessor was using correctly.
 */
final class RegularFileHandler extends DescriptorHandler {
    static final String COMPATIBLE = "file-v1";
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux");

    RegularFileHandler() {
        super(COMPATIBLE);
    }

    private record State(String path, int flags, long position) {}

    /** How the recorded path relates to the received file. */
    enum PathStatus {
        /** The path names the received file. */
        SAME_FILE,
        /** Nothing exists at the path any more (or the kernel marked the name deleted). */
        GONE,
        /** The path names some other file now. */
        OTHER_FILE,
        /** No path was recorded, or it cannot be examined (no permission to search a directory on it). */
        UNKNOWN
    }

    /** An open {@link FileChannel} on a regular file. */
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
        switch (pathStatus(fd, state.path())) {
            case GONE -> LOG.log(Level.INFO, "file-v1: " + state.path() + " no longer exists; the open file carries over without a name");
            case OTHER_FILE -> LOG.log(Level.WARNING, "file-v1: " + state.path() + " names another file now (renamed over?);"
                    + " the successor gets the file the predecessor had open, not the one at that path");
            case SAME_FILE, UNKNOWN -> {}
        }
        Libc.lseek(fd, state.position(), Libc.SEEK_SET);
        int access = state.flags() & Libc.O_ACCMODE;
        return JdkChannels.file(fd, state.path(), access != Libc.O_WRONLY, access != Libc.O_RDONLY);
    }

    /** Whether {@code path}, as recorded by the predecessor, still names the file open as {@code fd}. */
    static PathStatus pathStatus(int fd, String path) {
        if (path.isEmpty()) {
            return PathStatus.UNKNOWN;
        }
        Map<String, Object> named;
        try {
            named = Files.readAttributes(Path.of(path), "unix:dev,ino");
        } catch (NoSuchFileException | NotDirectoryException | InvalidPathException e) {
            return PathStatus.GONE; // includes the kernel's "NAME (deleted)" of a file unlinked before freeze
        } catch (IOException e) {
            return PathStatus.UNKNOWN; // not ours to examine (a directory we may not search, say)
        }
        FileIdentity received = FileIdentity.of(fd);
        boolean same = received.device() == (long) named.get("dev") && received.inode() == (long) named.get("ino");
        return same ? PathStatus.SAME_FILE : PathStatus.OTHER_FILE;
    }

    private static String pathOf(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (IOException e) {
            return "";
        }
    }
}
