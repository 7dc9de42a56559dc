package io.luo4j.linux.testservice;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fault injected from the test side after the commit: a successor command that starts the real
 * successor behind itself and, when it prints a line containing TRIGGER (the service's "I serve"
 * line: it has taken everything over and the predecessor committed), waits the given milliseconds
 * and then kills it ({@code kill}: SIGKILL) or stops it ({@code stop}: SIGSTOP, a successor that
 * hangs). It ends as the real successor ends, so the predecessor sees its successor die; its output
 * is the real successor's.
 *
 * <p>{@code java ... FaultySuccessor kill|stop DELAY_MILLIS TRIGGER SUCCESSOR-COMMAND...}
 */
public final class FaultySuccessor {
    /** What the test service prints once it serves, in a successor after the commit. */
    public static final String TEST_SERVICE_SERVES = " serves on port ";

    private FaultySuccessor() {}

    /** The command line (for --exec) that runs {@code successor} behind this fault. */
    public static String command(String fault, long delayMillis, String trigger, List<String> successor) {
        List<String> words = new java.util.ArrayList<>(List.of(fault, Long.toString(delayMillis), trigger));
        words.addAll(successor);
        return ServiceHarness.shellLine(io.luo4j.linux.JavaCommand.of(FaultySuccessor.class.getName(),
                List.of("-XX:TieredStopAtLevel=1"), words));
    }

    public static void main(String[] args) throws Exception {
        String fault = args[0];
        long delay = Long.parseLong(args[1]);
        String trigger = args[2];
        List<String> command = Arrays.asList(args).subList(3, args.length);
        Process successor = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(successor.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean struck = false;
            while ((line = out.readLine()) != null) {
                System.out.println(line);
                if (!struck && line.contains(trigger)) {
                    struck = true;
                    strikeLater(fault, delay, successor);
                }
            }
        }
        System.exit(successor.waitFor());
    }

    private static void strikeLater(String fault, long delay, Process successor) {
        Thread.ofPlatform().start(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(delay); // the fault's moment is the point of this program
                System.out.println("faulty successor: " + fault + " pid " + successor.pid() + " " + delay + " ms after it served");
                switch (fault) {
                    case "kill" -> successor.destroyForcibly();
                    case "stop" -> new ProcessBuilder("kill", "-STOP", Long.toString(successor.pid())).inheritIO().start().waitFor();
                    default -> throw new IllegalArgumentException("unknown fault " + fault);
                }
            } catch (InterruptedException | IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
