package io.luo4j.image;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.luo4j.LiveUpdateException;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of the image reader (Jazzer). The reader may refuse any input, but only
 * with a {@link LiveUpdateException}: any other exception, or an allocation beyond the limits, fails.
 *
 * <p>In a plain test run this replays the inputs under src/test/resources/.../ImageReaderFuzzTestInputs;
 * with JAZZER_FUZZ=1 (as .ci/run sets) it fuzzes for the duration below.
 */
class ImageReaderFuzzTest {
    private static final ImageLimits LIMITS = new ImageLimits(1 << 20, 1000, 1000, 63, 1 << 16, 1000);

    @FuzzTest(maxDuration = "60s")
    void readerRefusesCleanlyOrReadsConsistently(FuzzedDataProvider data) {
        boolean startFromValid = data.consumeBoolean();
        ByteBuffer input;
        if (startFromValid) {
            // mutate a valid image and reseal it, so that the structure checks behind the checksum get exercised
            ByteBuffer valid = ImageFormatTest.copy(ImageWriter.write(ImageFormatTest.sample()));
            int edits = data.consumeInt(0, 8);
            for (int i = 0; i < edits && valid.remaining() > 0; i++) {
                valid.put(data.consumeInt(0, valid.remaining() - 1), data.consumeByte());
            }
            input = data.consumeBoolean() ? ImageFormatTest.resealed(valid) : valid;
        } else {
            input = ByteBuffer.wrap(data.consumeRemainingAsBytes());
        }
        try {
            Image image = ImageReader.read(input, LIMITS);
            // whatever was accepted must write back to the same bytes
            ByteBuffer again = ImageWriter.write(image);
            if (!again.equals(input.duplicate().rewind())) {
                throw new AssertionError("an accepted image does not write back to the same bytes");
            }
        } catch (LiveUpdateException expected) {
            // a clear refusal
        }
    }
}
