package io.luo4j;

import java.nio.charset.StandardCharsets;

/**
 * Validation of {@code compatible} strings, the versioned type names of handlers and FLBs
 * ("memfd-v1"): the kernel keeps them in 48 bytes including the terminating NUL, so a name has 1 to
 * 47 bytes of UTF-8 (an exact form: no unpaired surrogate) and no control characters.
 */
final class CompatibleName {
    /** Longest compatible string in UTF-8 bytes (the kernel's 48-byte field less its NUL). */
    static final int MAX_BYTES = 47;

    private CompatibleName() {}

    /** Returns {@code name} if it is a valid compatible string; EINVAL otherwise. */
    static String check(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new LiveUpdateException(Errno.EINVAL,
                    what + " has no compatible string: give it a versioned type name such as \"memfd-v1\"");
        }
        int unpaired = Utf8.unpairedSurrogate(name);
        if (unpaired >= 0) {
            throw new LiveUpdateException(Errno.EINVAL, what + " compatible string has an unpaired UTF-16 surrogate at index "
                    + unpaired + ", which has no UTF-8 form: use complete characters only");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new LiveUpdateException(Errno.EINVAL, what + " compatible string \"" + name + "\" is " + bytes
                    + " bytes long; the limit is " + MAX_BYTES + " bytes (UTF-8): shorten it");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new LiveUpdateException(Errno.EINVAL, what + " compatible string contains a control character at index "
                        + i + ": use printable characters only");
            }
        }
        return name;
    }
}
