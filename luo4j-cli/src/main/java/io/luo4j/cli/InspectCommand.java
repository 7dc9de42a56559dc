package io.luo4j.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import io.luo4j.image.Image;
import io.luo4j.image.ImageEntry;
import io.luo4j.image.ImageLimits;
import io.luo4j.image.ImageReader;
import io.luo4j.image.ImageSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code luoctl inspect IMAGE [--json]}: what a handover image holds: generation, sessions, files
 * (token, handler, state size, descriptors) and FLBs. A successor keeps the last image it received at
 * {@code RUNTIME_DIR/NAME.image}. A damaged image is reported with the reader's reason; exit 1.
 */
@Command(name = "inspect", description = "Show what a handover image holds: generation, sessions, files, tokens, handlers, FLBs.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "An image file (a successor keeps the last one as RUNTIME_DIR/NAME.image).")
    private Path file;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    private boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (Files.size(file) > ImageLimits.DEFAULT.maxImageBytes()) {
            spec.commandLine().getErr().println("luoctl: " + file + " is larger than any image (" + Files.size(file) + " bytes)");
            return 1;
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        Image image = ImageReader.read(bytes);
        if (json) {
            out.println(toJson(image, bytes.remaining()));
        } else {
            print(image, bytes, out);
        }
        return 0;
    }

    private void print(Image image, ByteBuffer bytes, PrintWriter out) {
        out.printf("image %s: %s, %d bytes, generation %d, %d sessions, %d files, %d descriptors%n", file,
                ImageReader.compatibleOf(bytes), bytes.remaining(), image.generation(), image.sessions().size(),
                image.fileCount(), image.descriptorCount());
        for (ImageSession session : image.sessions()) {
            out.printf("session \"%s\": %d files%n", session.name(), session.files().size());
            for (ImageEntry file : session.files()) {
                out.printf("  token %-8d %-22s %8d bytes  fds %s%n", file.token(), file.compatible(), file.data().length, range(file));
            }
        }
        for (ImageEntry flb : image.flbs()) {
            out.printf("flb %-22s %d users %8d bytes  fds %s%n", flb.compatible(), flb.users(), flb.data().length, range(flb));
        }
    }

    private static String range(ImageEntry entry) {
        return entry.descriptorCount() == 0 ? "-" : entry.descriptorCount() == 1 ? "[" + entry.firstDescriptor() + "]"
                : "[" + entry.firstDescriptor() + ".." + (entry.firstDescriptor() + entry.descriptorCount() - 1) + "]";
    }

    private String toJson(Image image, long size) {
        List<Object> sessions = new ArrayList<>();
        for (ImageSession session : image.sessions()) {
            List<Object> files = new ArrayList<>();
            for (ImageEntry file : session.files()) {
                files.add(entry(file, "token", file.token()));
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", session.name());
            s.put("files", files);
            sessions.add(s);
        }
        List<Object> flbs = new ArrayList<>();
        for (ImageEntry flb : image.flbs()) {
            flbs.add(entry(flb, "users", flb.users()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", file.toString());
        json.put("bytes", size);
        json.put("generation", image.generation());
        json.put("descriptors", image.descriptorCount());
        json.put("sessions", sessions);
        json.put("flbs", flbs);
        try {
            return JSON.std.asString(json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
    }

    private static Map<String, Object> entry(ImageEntry entry, String valueName, long value) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("compatible", entry.compatible());
        json.put("dataBytes", entry.data().length);
        json.put("firstDescriptor", entry.firstDescriptor());
        json.put("descriptorCount", entry.descriptorCount());
        json.put(valueName, value);
        return json;
    }
}
