package io.luo4j.image;

import java.util.List;
import java.util.Objects;

/**
 * One session in an image.
 *
 * @param name  the session's name, 1 to 63 bytes of UTF-8
 * @param files its files in preservation order; each entry's {@code value} is the file's token
 */
public record ImageSession(String name, List<ImageEntry> files) {
    public ImageSession {
        Objects.requireNonNull(name, "name");
        files = List.copyOf(Objects.requireNonNull(files, "files"));
    }
}
