package io.luo4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code luoctl demo}: the main job. Until the kv service lands it runs the same-JVM walkthrough
 * (see {@link WalkthroughCommand}).
 */
@Command(name = "demo", description = "Show a live update end to end (for now: the same-JVM walkthrough).")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    private final WalkthroughCommand walkthrough = new WalkthroughCommand();

    @Override
    public Integer call() {
        return walkthrough.call();
    }
}
