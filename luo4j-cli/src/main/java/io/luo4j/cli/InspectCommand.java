package io.luo4j.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.image.Image;
import io.luo4j.image.ImageEntry;
import io.luo4j.image.ImageLimits;
import io.luo4j.image.ImageReader;
import io.luo4j.image.ImageSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code luoctl inspect IMAGE [--json]}: what a handover image holds: generation, sessions, files
 * (token, handler, state size, descriptors) and FLBs. A successor keeps the last image it received at
 * {@code RUNTIME_DIR/NAME.image}.
 *
 * <p>IMAGE must be a regular file no larger than an image can be ({@link ImageLimits#DEFAULT}, the
 * limits the image is read with). Anything else is refused before it is opened or read, with an
 * errno-like reason, as luoctl's other errors are ({@code luoctl: ERRNO: IMAGE: why}, exit 2):
 * ENOENT, EACCES... for what the path names; EISDIR for a directory; EINVAL for a FIFO (opening
 * one would wait for a writer), a device ({@code /dev/zero} has no end) or a socket; EFBIG for a
 * file too large. A damaged image gets the reader's reason (EBADMSG, EINVAL, EOPNOTSUPP, E2BIG).
 */
@Command(name = "inspect", description = "Show what a handover image holds: generation, sessions, files, tokens, handlers, FLBs.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "An image file (a successor keeps the last one as RUNTIME_DIR/NAME.image).")
    private Path file;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ByteBuffer bytes;
        Image image;
        try {
            bytes = readImageFile(file, ImageLimits.DEFAULT.maxImageBytes());
            image = ImageReader.read(bytes, ImageLimits.DEFAULT);
        } catch (LiveUpdateException e) {
            throw new LiveUpdateException(e.reason(), file + ": " + e.detail(), e);
        } catch (OutOfMemoryError e) {
            throw new LiveUpdateException(Errno.ENOMEM, file + ": the image does not fit in luoctl's heap (" + e.getMessage()
                    + "): give it more, e.g. LUOCTL_JAVA_OPTS=-Xmx4g");
        }
        if (json) {
            out.println(toJson(image, bytes.remaining()));
        } else {
            print(image, bytes, out);
        }
        return 0;
    }

    /**
     * The bytes of {@code file}, a regular file of at most {@code maxBytes}. The path's type and size
     * are checked first, from its attributes: a FIFO is never opened, a device never read, and no
     * more than the size found is read even if the file grows meanwhile.
     *
     * @throws LiveUpdateException ENOENT, EACCES... (what the path names), EISDIR, EINVAL
     *     (not a regular file), EFBIG (larger than {@code maxBytes}); messages without the path
     */
    static ByteBuffer readImageFile(Path file, long maxBytes) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new LiveUpdateException(Errno.EISDIR, "a directory, not an image file");
            }
            if (!attributes.isRegularFile()) {
                throw new LiveUpdateException(Errno.EINVAL, specialFileKind(file) + ", not a regular file: inspect reads image files only");
            }
            if (attributes.size() > maxBytes) {
                throw new LiveUpdateException(Errno.EFBIG, attributes.size() + " bytes, larger than any image (at most " + maxBytes + ")");
            }
            ByteBuffer bytes = ByteBuffer.allocate((int) attributes.size());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                    // a file that shrank meanwhile ends early: the reader says it is truncated
                }
            }
            return bytes.flip();
        } catch (IOException e) {
            Errno errno = errno(e);
            String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
            throw new LiveUpdateException(errno, reason != null ? reason : errno.description(), e);
        }
    }

    /** What a path that is neither a directory nor a regular file names, from its mode's file type. */
    private static String specialFileKind(Path file) {
        try {
            return switch ((Integer) Files.getAttribute(file, "unix:mode") & 0170000) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    /** The errno an IOException from the file system stands for: the JDK gives strerror's text as its reason. */
    private static Errno errno(IOException e) {
        if (e instanceof NoSuchFileException) {
            return Errno.ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            return Errno.EACCES;
        }
        String reason = e instanceof FileSystemException f ? f.getReason() : e.getMessage();
        for (Errno errno : Errno.values()) {
            if (errno.description().equals(reason)) {
                return errno;
            }
        }
        return Errno.EIO;
    }

    private void print(Image image, ByteBuffer bytes, PrintWriter out) {
        out.printf("image %s: %s, %d bytes, generation %d, %d sessions, %d files, %d descriptors%n", file,
                ImageReader.compatibleOf(bytes), bytes.remaining(), image.generation(), image.sessions().size(),
                image.fileCount(), image.descriptorCount());
        for (ImageSession session : image.sessions()) {
            out.printf("session \"%s\": %d files%n", session.name(), session.files().size());
            for (ImageEntry file : session.files()) {
                out.printf("  token %-8d %-22s %8d bytes  fds %s%n", file.token(), file.compatible(), file.data().length, range(file));
            }
        }
        for (ImageEntry flb : image.flbs()) {
            out.printf("flb %-22s %d users %8d bytes  fds %s%n", flb.compatible(), flb.users(), flb.data().length, range(flb));
        }
    }

    private static String range(ImageEntry entry) {
        return entry.descriptorCount() == 0 ? "-" : entry.descriptorCount() == 1 ? "[" + entry.firstDescriptor() + "]"
                : "[" + entry.firstDescriptor() + ".." + (entry.firstDescriptor() + entry.descriptorCount() - 1) + "]";
    }

    private String toJson(Image image, long size) {
        List<Object> sessions = new ArrayList<>();
        for (ImageSession session : image.sessions()) {
            List<Object> files = new ArrayList<>();
            for (ImageEntry file : session.files()) {
                files.add(entry(file, "token", file.token()));
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", session.name());
            s.put("files", files);
            sessions.add(s);
        }
        List<Object> flbs = new ArrayList<>();
        for (ImageEntry flb : image.flbs()) {
            flbs.add(entry(flb, "users", flb.users()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", file.toString());
        json.put("bytes", size);
        json.put("generation", image.generation());
        json.put("descriptors", image.descriptorCount());
        json.put("sessions", sessions);
        json.put("flbs", flbs);
        try {
            return JSON.std.asString(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
    }

    private static Map<String, Object> entry(ImageEntry entry, String valueName, long value) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("compatible", entry.compatible());
        json.put("dataBytes", entry.data().length);
        json.put("firstDescriptor", entry.firstDescriptor());
        json.put("descriptorCount", entry.descriptorCount());
        json.put(valueName, value);
        return json;
    }
}
