package io.luo4j.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts a main class in a new JVM like this one: the same {@code java}, the
 * options luo4j needs, and this JVM's class path. Harnesses, benchmarks and the demo start services
 * with it; a service started so can then start its successors with its own command line.
 */
public final class JavaCommand {
    /**
     * What every JVM that runs luo4j needs: native access for the FFM system calls, and access to
     * the JDK's socket and file descriptor internals, through which preserved descriptors become
     * the JDK's own channels.
     */
    public static final List<String> REQUIRED_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.io=ALL-UNNAMED");

    private JavaCommand() {}

    /** {@code java REQUIRED_OPTIONS jvmOptions -cp CLASSPATH mainClass arguments}. */
    public static List<String> of(String mainClass, List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(REQUIRED_OPTIONS);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(arguments);
        return command;
    }
}
