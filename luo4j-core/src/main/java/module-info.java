/**
 * luo4j-core: the Live Update Orchestrator model, pure Java, no system calls. Applications and
 * handler authors use {@code io.luo4j} (start at {@link io.luo4j.LiveUpdateOrchestrator}); the
 * image format is read by luoctl's {@code inspect} and the benchmarks only; the ioctl-style command
 * layer ({@code io.luo4j.command}) is kept for luod, its caller to come, and exported to nobody yet.
 */
module io.luo4j.core {
    exports io.luo4j;
    exports io.luo4j.image to io.luo4j.cli, io.luo4j.bench;
}
