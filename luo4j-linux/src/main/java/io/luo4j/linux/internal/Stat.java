package io.luo4j.linux.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The fields of {@code struct stat} luo4j reads (x86-64 and aarch64 layout).
 *
 * @param device the device of the file system, with {@code inode} the identity of the file
 * @param inode  the inode number
 * @param mode   type and permission bits
 * @param size   the size in bytes
 */
public record Stat(long device, long inode, int mode, long size) {
    static final long SIZE = 144;

    static Stat of(MemorySegment buf) {
        return new Stat(buf.get(JAVA_LONG, 0), buf.get(JAVA_LONG, 8), buf.get(JAVA_INT, 24), buf.get(JAVA_LONG, 48));
    }

    /** The identity of the underlying file, equal for every descriptor that refers to it. */
    public FileIdentity identity() {
        return new FileIdentity(device, inode);
    }

    public boolean isSocket() {
        return (mode & Libc.S_IFMT) == Libc.S_IFSOCK;
    }

    public boolean isRegularFile() {
        return (mode & Libc.S_IFMT) == Libc.S_IFREG;
    }
}
