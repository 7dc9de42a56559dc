package io.luo4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link Memfd} against the real kernel: shared pages, identity, the size frozen while preserved. */
class MemfdTest {
    @Test
    void memfdsAreSharedMemoryWithAnIdentityThatDupsShare() {
        try (Memfd memfd = Memfd.create("test", 8192)) {
            memfd.putLong(8, 0x1122334455667788L);
            int dup = Descriptors.dup(memfd.fd());
            try {
                assertEquals(memfd.inode(), Descriptors.inode(dup));
                try (Memfd second = Memfd.adopt("second", dup)) {
                    assertEquals(0x1122334455667788L, second.getLong(8), "the same pages, seen through another mapping");
                    second.putLong(16, 42);
                    assertEquals(42, memfd.getLong(16));
                }
            } finally {
                assertFalse(Descriptors.isOpen(dup), "adopt took the descriptor over and close closed it");
            }
            try (Memfd other = Memfd.create("other", 4096)) {
                assertNotEquals(memfd.inode(), other.inode());
            }
        }
    }

    @Test
    void aPreservedMemfdHasAFrozenSize() {
        try (Memfd memfd = Memfd.create("frozen", 4096)) {
            memfd.freezeSize(true);
            assertEquals(Errno.EPERM, assertThrows(LiveUpdateException.class, () -> memfd.resize(8192)).reason());
            memfd.position(4000);
            memfd.write(ByteBuffer.wrap(new byte[96]));
            assertEquals(Errno.EPERM, assertThrows(LiveUpdateException.class, () -> memfd.write(ByteBuffer.wrap(new byte[1]))).reason());
            assertEquals(4096, memfd.size());
            memfd.freezeSize(false);
            memfd.write(ByteBuffer.wrap("grow".getBytes(StandardCharsets.UTF_8)));
            assertEquals(4100, memfd.size());
        }
    }
}
