package io.luo4j.bench.report;

import io.luo4j.bench.Format;
import io.luo4j.bench.state.SizeResult;
import io.luo4j.bench.state.StateSizeResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The one plot of the report: handover time against state size, luo4j and the snapshot baseline,
 * both axes logarithmic. Drawn with the JDK's own Java2D (headless) and written as PNG: no
 * plotting library for one chart.
 */
public final class StatePlot {
    static final int WIDTH = 900;
    static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final Color LUO4J = new Color(0x1f77b4);
    private static final Color BASELINE = new Color(0xd62728);

    private StatePlot() {}

    /** Writes the plot of {@code result} to {@code png}; false when there is nothing to plot. */
    public static boolean write(StateSizeResult result, Path png) throws IOException {
        List<SizeResult> sizes = result.sizes().stream()
                .filter(s -> !Double.isNaN(s.handover().median()) && !Double.isNaN(s.baselineHandover().median())).toList();
        if (sizes.isEmpty()) {
            return false;
        }
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, sizes);
        } finally {
            g.dispose();
        }
        return ImageIO.write(image, "png", png.toFile());
    }

    private static void draw(Graphics2D g, List<SizeResult> sizes) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        double minX = Math.log(sizes.getFirst().size());
        double maxX = Math.log(sizes.getLast().size());
        if (maxX - minX < 1e-9) {
            minX -= 1;
            maxX += 1;
        }
        double low = Double.MAX_VALUE;
        double high = 0;
        for (SizeResult s : sizes) {
            low = Math.min(low, Math.min(s.handover().median(), s.baselineHandover().median()));
            high = Math.max(high, Math.max(s.handover().median(), s.baselineHandover().median()));
        }
        int minDecade = (int) Math.floor(Math.log10(Math.max(low, 1e-3)));
        int maxDecade = (int) Math.ceil(Math.log10(Math.max(high, 1e-3)));
        if (maxDecade == minDecade) {
            maxDecade++;
        }
        Axes axes = new Axes(minX, maxX, minDecade, maxDecade);

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString("Handover time against state size (median, log-log)", LEFT, 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics metrics = g.getFontMetrics();
        for (int decade = minDecade; decade <= maxDecade; decade++) {
            int y = axes.y(Math.pow(10, decade));
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            g.setColor(Color.DARK_GRAY);
            String label = Format.millis(Math.pow(10, decade)) + " ms";
            g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + 5);
        }
        for (SizeResult s : sizes) {
            int x = axes.x(s.size());
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
            g.setColor(Color.DARK_GRAY);
            String label = Format.bytes(s.size());
            g.drawString(label, x - metrics.stringWidth(label) / 2, HEIGHT - BOTTOM + 20);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        g.drawString("state handed over (memfd bytes)", WIDTH / 2 - 90, HEIGHT - 20);

        series(g, axes, sizes, s -> s.baselineHandover().median(), BASELINE);
        series(g, axes, sizes, s -> s.handover().median(), LUO4J);
        legend(g, "snapshot file: save + load", BASELINE, 0);
        legend(g, "luo4j: freeze to ready", LUO4J, 1);
    }

    private static void series(Graphics2D g, Axes axes, List<SizeResult> sizes, ToDoubleFunction<SizeResult> millis, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2.5f));
        int previousX = -1;
        int previousY = -1;
        for (SizeResult s : sizes) {
            int x = axes.x(s.size());
            int y = axes.y(millis.applyAsDouble(s));
            if (previousX >= 0) {
                g.drawLine(previousX, previousY, x, y);
            }
            g.fillOval(x - 5, y - 5, 10, 10);
            g.drawString(Format.millis(millis.applyAsDouble(s)), x + 8, y - 8);
            previousX = x;
            previousY = y;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static void legend(Graphics2D g, String label, Color color, int row) {
        int x = LEFT + 20;
        int y = TOP + 25 + row * 22;
        g.setColor(color);
        g.fillRect(x, y - 10, 24, 10);
        g.setColor(Color.BLACK);
        g.drawString(label, x + 32, y);
    }

    /** Data to pixels: log of bytes across, log10 of milliseconds up. */
    private record Axes(double minX, double maxX, int minDecade, int maxDecade) {
        int x(double bytes) {
            double margin = 0.06;
            double fraction = margin + (1 - 2 * margin) * (Math.log(bytes) - minX) / (maxX - minX);
            return LEFT + (int) Math.round(fraction * (WIDTH - LEFT - RIGHT));
        }

        int y(double millis) {
            double fraction = (Math.log10(Math.max(millis, 1e-3)) - minDecade) / (maxDecade - minDecade);
            return HEIGHT - BOTTOM - (int) Math.round(fraction * (HEIGHT - TOP - BOTTOM));
        }
    }
}
