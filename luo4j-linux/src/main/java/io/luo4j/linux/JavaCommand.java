package io.luo4j.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts a main class in a new JVM like this one: the same {@code java}, the
 * options luo4j needs, and this JVM's module path or class path. Harnesses, benchmarks and the demo
 * start services with it; a service started so can then start its successors with its own command
 * line.
 *
 * <p>When luo4j runs as named modules (luoctl runs on the module path), the new JVM does too: its
 * main class is launched as {@code -m MODULE/CLASS} and the options name module
 * {@code io.luo4j.linux}. On the class path they name {@code ALL-UNNAMED}.
 */
public final class JavaCommand {
    private static final String MODULE = "io.luo4j.linux";

    private JavaCommand() {}

    /**
     * What every JVM that runs luo4j needs: native access for the FFM system calls, and access to
     * the JDK's socket and file descriptor internals, through which preserved descriptors become
     * the JDK's own channels. For this JVM's mode: module names on the module path,
     * {@code ALL-UNNAMED} on the class path.
     */
    public static List<String> requiredOptions() {
        String who = onModulePath() ? MODULE : "ALL-UNNAMED";
        return List.of("--enable-native-access=" + who, "--add-opens", "java.base/sun.nio.ch=" + who,
                "--add-opens", "java.base/java.io=" + who);
    }

    /**
     * {@code java OPTIONS jvmOptions (-cp CLASSPATH mainClass | --module-path PATH -m MODULE/mainClass)
     * arguments}, the first form when luo4j runs on the class path, the second on the module path.
     *
     * @throws IllegalArgumentException when {@code mainClass} cannot be loaded (on the module path
     *         its module must be known)
     */
    public static List<String> of(String mainClass, List<String> jvmOptions, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(requiredOptions());
        command.addAll(jvmOptions);
        if (onModulePath()) {
            command.addAll(List.of("--module-path", System.getProperty("jdk.module.path"), "-m", moduleOf(mainClass) + "/" + mainClass));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        }
        command.addAll(arguments);
        return command;
    }

    /** Whether luo4j-linux runs as a named module (on the module path) in this JVM. */
    static boolean onModulePath() {
        return JavaCommand.class.getModule().isNamed();
    }

    /** The module's name the main class belongs to, to be launched by. */
    private static String moduleOf(String mainClass) {
        try {
            Module module = Class.forName(mainClass, false, JavaCommand.class.getClassLoader()).getModule();
            if (!module.isNamed()) {
                throw new IllegalArgumentException(mainClass + " is not in a named module: it cannot be launched on the module path");
            }
            return module.getName();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("cannot find main class " + mainClass, e);
        }
    }
}
