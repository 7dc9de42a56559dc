package io.luo4j.image;

import java.nio.charset.StandardCharsets;

/**
 * Offsets and sizes of the v1 byte layout; docs/image-format.md explains each field. Everything is
 * little-endian and every block starts on an 8-byte boundary.
 */
final class ImageLayout {
    private ImageLayout() {}

    static final byte[] MAGIC = "LUO4JIMG".getBytes(StandardCharsets.US_ASCII);
    /** The version: a reader accepts exactly the compatible strings it knows (like the kernel's "luo-v5"). */
    static final String COMPATIBLE = "luo4j-image-v1";
    static final int COMPATIBLE_FIELD = 16;

    // root block
    static final int ROOT_SIZE = 64;
    static final int ROOT_MAGIC = 0;
    static final int ROOT_COMPATIBLE = 8;
    static final int ROOT_LENGTH = 24;
    static final int ROOT_GENERATION = 32;
    static final int ROOT_SESSION_COUNT = 40;
    static final int ROOT_FLB_COUNT = 44;
    static final int ROOT_DESCRIPTOR_COUNT = 48;
    static final int ROOT_FLAGS = 52;
    static final int ROOT_RESERVED = 56;

    // session block header, followed by the name (padded) and the file entries
    static final int SESSION_HEADER = 16;
    static final int SESSION_LENGTH = 0;
    static final int SESSION_FILE_COUNT = 4;
    static final int SESSION_NAME_LENGTH = 8;
    static final int SESSION_RESERVED = 12;

    // entry header (file or FLB), followed by the compatible string and the data (padded)
    static final int ENTRY_HEADER = 32;
    static final int ENTRY_LENGTH = 0;
    static final int ENTRY_COMPATIBLE_LENGTH = 4;
    static final int ENTRY_VALUE = 8;
    static final int ENTRY_DATA_LENGTH = 16;
    static final int ENTRY_FIRST_DESCRIPTOR = 20;
    static final int ENTRY_DESCRIPTOR_COUNT = 24;
    static final int ENTRY_RESERVED = 28;

    // trailer
    static final int TRAILER_SIZE = 8;
    static final int TRAILER_CRC = 0;
    static final int TRAILER_END_MARK = 4;
    static final int END_MARK = 0x444E454C; // "LEND" read as a little-endian int

    static final int MAX_SESSION_NAME_BYTES = 63;
    static final int MAX_COMPATIBLE_BYTES = 47;

    /** {@code n} rounded up to a multiple of 8. */
    static long align8(long n) {
        return (n + 7) & ~7L;
    }

    static long sessionBlockSize(int nameBytes) {
        return SESSION_HEADER + align8(nameBytes);
    }

    static long entrySize(int compatibleBytes, int dataBytes) {
        return ENTRY_HEADER + align8((long) compatibleBytes + dataBytes);
    }
}
