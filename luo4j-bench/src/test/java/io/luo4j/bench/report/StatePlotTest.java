package io.luo4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luo4j.bench.Profile;
import io.luo4j.bench.state.StateSizeResult;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatePlotTest {
    @TempDir
    Path dir;

    @Test
    void writesAPngWithBothSeriesDrawn() throws Exception {
        Path png = dir.resolve("plot.png");
        assertTrue(StatePlot.write(ReportFixture.state(), png));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(StatePlot.WIDTH, image.getWidth());
        assertEquals(StatePlot.HEIGHT, image.getHeight());
        assertTrue(hasColour(image, 0x1f77b4), "the luo4j series");
        assertTrue(hasColour(image, 0xd62728), "the baseline series");
        assertNotEquals(image.getRGB(0, 0), 0xff000000, "a background, not an empty image");
    }

    @Test
    void nothingMeasuredWritesNothing() throws Exception {
        Path png = dir.resolve("empty.png");
        assertFalse(StatePlot.write(new StateSizeResult(Profile.QUICK, List.of()), png));
        assertFalse(Files.exists(png));
    }

    private static boolean hasColour(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    return true;
                }
            }
        }
        return false;
    }
}
