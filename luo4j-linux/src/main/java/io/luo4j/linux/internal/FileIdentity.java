package io.luo4j.linux.internal;

/**
 * The identity of an open file as the kernel knows it: device and inode. Two descriptors (a dup, a
 * second open of a memfd) with the same identity refer to the same file, which is how the built-in
 * handlers catch a file preserved twice (EBUSY).
 */
public record FileIdentity(long device, long inode) {
    /** The identity of the file behind {@code fd}. */
    public static FileIdentity of(int fd) {
        return Libc.fstat(fd).identity();
    }
}
