package io.luo4j;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * A session's name as a lookup key: 1 to 63 bytes of UTF-8 without NUL (the kernel's 64-byte field
 * less its terminator), with an exact UTF-8 form (no unpaired surrogate), since the image stores it
 * so. Sessions are found by hashing this key, never by walking a list, so finding one of n sessions
 * costs O(1) instead of the kernel's O(n).
 */
final class SessionName {
    static final int MAX_BYTES = 63;

    /** Key comparisons made so far, over all lists: how tests show that lookups do not walk lists. */
    static final LongAdder COMPARISONS = new LongAdder();

    private final String value;

    private SessionName(String value) {
        this.value = value;
    }

    /** The key for a session to create; EINVAL when the name is empty, too long, not exact UTF-8, or holds a NUL. */
    static SessionName of(String name) {
        if (name == null || name.isEmpty()) {
            throw new LiveUpdateException(Errno.EINVAL, "a session needs a name of 1.." + MAX_BYTES + " bytes; got an empty one");
        }
        int unpaired = Utf8.unpairedSurrogate(name);
        if (unpaired >= 0) {
            throw new LiveUpdateException(Errno.EINVAL, "session name has an unpaired UTF-16 surrogate at index " + unpaired
                    + ", which has no UTF-8 form (it would be stored as '?'): use complete characters only");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new LiveUpdateException(Errno.EINVAL, "session name \"" + name + "\" is " + bytes + " bytes (UTF-8); the limit is "
                    + MAX_BYTES + ": use a shorter name");
        }
        if (name.indexOf('\0') >= 0) {
            throw new LiveUpdateException(Errno.EINVAL, "session name \"" + name.replace('\0', '?') + "\" contains a NUL character");
        }
        return new SessionName(name);
    }

    /** The key for a lookup only: any string, since an invalid name simply matches nothing. */
    static SessionName lookup(String name) {
        return new SessionName(name == null ? "" : name);
    }

    String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        COMPARISONS.increment();
        return other instanceof SessionName that && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
