package io.luo4j.linux.control;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads one request line, UTF-8, without ever buffering more than its cap. */
final class RequestLine {
    private RequestLine() {}

    /**
     * The line up to its newline (a trailing CR dropped), or what came before the end of the
     * stream; null when nothing came.
     *
     * @throws LiveUpdateException EINVAL when the line is longer than {@code max} bytes
     */
    static String read(InputStream in, int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() == max) {
                throw new LiveUpdateException(Errno.EINVAL, "the request line is longer than " + max + " bytes");
            }
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
