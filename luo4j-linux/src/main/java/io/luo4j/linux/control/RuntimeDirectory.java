package io.luo4j.linux.control;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.Libc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * Where luo4j keeps a service's control socket ({@code NAME.sock}), the last handover image
 * ({@code NAME.image}) and handover sockets: a private directory (0700, owned by the user).
 * Services and luoctl find it the same way:
 * <ol>
 *   <li>the system property {@code luo4j.runtime.dir};</li>
 *   <li>the environment variable {@code LUO4J_RUNTIME_DIR};</li>
 *   <li>{@code $XDG_RUNTIME_DIR/luo4j};</li>
 *   <li>{@code /tmp/luo4j-UID}.</li>
 * </ol>
 */
public final class RuntimeDirectory {
    private static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RuntimeDirectory() {}

    /** The runtime directory as configured (it may not exist yet). */
    public static Path resolve() {
        String property = System.getProperty("luo4j.runtime.dir");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("LUO4J_RUNTIME_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "luo4j");
        }
        return Path.of("/tmp", "luo4j-" + Libc.getuid());
    }

    /**
     * Creates {@code dir} as 0700 if needed and checks that it is private to this user. A symbolic
     * link is followed only when the link and the directory it names both belong to this user (a
     * link someone else planted in a shared directory such as /tmp is refused, with its target).
     */
    public static Path ensure(Path dir) {
        try {
            if (Files.isSymbolicLink(dir)) {
                dir = followOwnLink(dir);
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            int owner = (int) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (owner != Libc.getuid()) {
                throw new LiveUpdateException(Errno.EACCES, "runtime directory " + dir + " belongs to uid " + owner
                        + ", not to this user (uid " + Libc.getuid() + "): set LUO4J_RUNTIME_DIR to a directory of your own");
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new LiveUpdateException(Errno.EACCES, "cannot prepare runtime directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path followOwnLink(Path link) throws IOException {
        int linkOwner = (int) Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Path target = link.toRealPath();
        if (linkOwner != Libc.getuid()) {
            throw new LiveUpdateException(Errno.EACCES, "runtime directory " + link + " is a symbolic link (to " + target
                    + ") that belongs to uid " + linkOwner + ", not to this user (uid " + Libc.getuid()
                    + "): set LUO4J_RUNTIME_DIR to a directory of your own");
        }
        if (!Files.isDirectory(target)) {
            throw new LiveUpdateException(Errno.ENOTDIR, "runtime directory " + link + " is a symbolic link to " + target
                    + ", which is not a directory: point LUO4J_RUNTIME_DIR at a directory");
        }
        return target;
    }

    /** The control socket of service {@code name}. */
    public static Path controlSocket(Path dir, String name) {
        return dir.resolve(checkName(name) + ".sock");
    }

    /** Where the successor of service {@code name} keeps a copy of the last image it received. */
    public static Path lastImage(Path dir, String name) {
        return dir.resolve(checkName(name) + ".image");
    }

    /** EINVAL unless {@code name} is 1..64 of letters, digits, '.', '_' and '-'. */
    public static String checkName(String name) {
        if (name == null || !SERVICE_NAME.matcher(name).matches()) {
            throw new LiveUpdateException(Errno.EINVAL, "service name \"" + name + "\" must be 1..64 letters, digits, '.', '_' or '-'");
        }
        return name;
    }
}
