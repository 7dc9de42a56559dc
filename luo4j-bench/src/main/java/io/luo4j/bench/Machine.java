package io.luo4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine the figures come from: what a reader needs to compare them with their own.
 *
 * @param cores       CPUs this JVM may use
 * @param memoryBytes physical memory (MemTotal)
 * @param cpu         the CPU model name
 * @param kernel      the running kernel's release
 * @param jdk         the JDK's vendor and version
 */
public record Machine(int cores, long memoryBytes, String cpu, String kernel, String jdk) {

    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(), memTotal(), cpuModel(), firstLine(Path.of("/proc/sys/kernel/osrelease")),
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
    }

    private static long memTotal() {
        return procField(Path.of("/proc/meminfo"), "MemTotal") * 1024;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The number in a "Name:   123 kB" line of a /proc file, or 0. */
    static long procField(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name + ":")) {
                    return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown
        }
        return 0;
    }

    private static String firstLine(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
