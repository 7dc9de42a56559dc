package io.luo4j.bench.core;

import io.luo4j.image.Image;
import io.luo4j.image.ImageReader;
import io.luo4j.image.ImageWriter;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The handover image of the {@link Workload} (10,000 sessions x 10 files): writing it from its
 * model and parsing it (with every check: CRC32C, bounds, padding) from a direct buffer, as the
 * successor reads it from its memfd. The score is images per second; times the image's size it is
 * bytes per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class ImageBenchmark {
    Image image;
    ByteBuffer bytes;

    @Setup(Level.Trial)
    public void image() {
        ByteBuffer written = Workload.handover().image();
        bytes = ByteBuffer.allocateDirect(written.remaining()).put(written.duplicate()).flip();
        image = ImageReader.read(bytes.duplicate());
    }

    /** The size of the workload's image, in bytes. */
    public static long imageBytes() {
        return Workload.handover().image().remaining();
    }

    @Benchmark
    public ByteBuffer write() {
        return ImageWriter.write(image);
    }

    @Benchmark
    public Image parse() {
        return ImageReader.read(bytes.duplicate());
    }
}
