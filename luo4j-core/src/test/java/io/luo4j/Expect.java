package io.luo4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Assertions on luo4j's errors. */
final class Expect {
    private Expect() {}

    /** Asserts that {@code call} fails with {@code reason} and a message that says something. */
    static LiveUpdateException failure(Errno reason, Executable call) {
        LiveUpdateException e = assertThrows(LiveUpdateException.class, call);
        assertEquals(reason, e.reason(), () -> "unexpected reason; message: " + e.getMessage());
        assertTrue(e.detail().length() > 10, () -> "message too thin: " + e.getMessage());
        return e;
    }
}
