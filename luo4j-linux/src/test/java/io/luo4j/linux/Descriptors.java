package io.luo4j.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.Channel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What the tests check about this process's descriptors, read the way an operator would, from
 * {@code /proc/self} (and {@code dup} and {@code close} for descriptors of its own): independent of
 * luo4j's own system-call bindings, which are what is being tested.
 */
final class Descriptors {
    private static final MethodHandle DUP = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("dup").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("close").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** O_APPEND in the octal flags of /proc/self/fdinfo. */
    static final int O_APPEND = 02000;
    /** F_SEAL_SHRINK, as memfd seals are numbered. */
    static final int F_SEAL_SHRINK = 0x2;

    private Descriptors() {}

    static boolean isOpen(int fd) {
        return Files.exists(Path.of("/proc/self/fd/" + fd), LinkOption.NOFOLLOW_LINKS);
    }

    /** The open file's flags (O_APPEND, access mode, ...), from /proc/self/fdinfo. */
    static int flags(int fd) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("flags:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
            throw new IllegalStateException("no flags in /proc/self/fdinfo/" + fd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The inode of the file behind {@code fd}. */
    static long inode(int fd) {
        try {
            return (long) Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:ino");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The descriptor of a JDK channel, as the built-in handlers find it. */
    static int of(Channel channel) {
        return new RegularFileHandler().descriptorOf(channel);
    }

    /** A second descriptor of the same open file. */
    static int dup(int fd) {
        try {
            int copy = (int) DUP.invokeExact(fd);
            if (copy < 0) {
                throw new IllegalStateException("dup(" + fd + ") failed");
            }
            return copy;
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    /** Closes a descriptor a test made (with {@link #dup}, or got as a number). */
    static void close(int fd) {
        try {
            if ((int) CLOSE.invokeExact(fd) != 0) {
                throw new IllegalStateException("close(" + fd + ") failed");
            }
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }
}
