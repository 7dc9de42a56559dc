package io.luo4j;

import java.io.PrintStream;

/**
 * A process of its own for {@code UpgradeTest}: an upgrade whose image is larger than the heap, so
 * that writing it runs out of memory for real. Started with a small {@code -Xmx}; prints one line
 * per check and exits 0 when the orchestrator came through serving.
 */
final class LargeImageProcess {
    private LargeImageProcess() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        byte[] state = new byte[16 << 20]; // the largest state an entry may carry by default
        LiveUpdateOrchestrator luo = LiveUpdateOrchestrator.create();
        luo.registerHandler(new PlainHandler("big-v1") {
            @Override
            public void preserve(FileOpArgs a) {
                a.setSerializedData(state); // the same array for every file: the heap holds it once, the image many times
            }
        });
        Session big = luo.createSession("big");
        long files = Runtime.getRuntime().maxMemory() / state.length + 2;
        for (long token = 0; token < files; token++) {
            big.preserve(token, new Object());
        }
        try {
            luo.prepareUpgrade();
            out.println("prepared: the image fitted after all");
        } catch (LiveUpdateException e) {
            out.println("failed: " + e.reason() + " caused by " + (e.getCause() == null ? null : e.getCause().getClass().getName()));
        } catch (Throwable e) {
            out.println("threw: " + e);
        }
        out.println("phase: " + luo.status().phase());
        Thread other = Thread.ofPlatform().daemon().start(() -> luo.createSession("other").close());
        other.join(10_000);
        out.println("another thread: " + (other.isAlive() ? "blocked" : "passed"));
        big.close();
        luo.createSession("small").preserve(1, new Object());
        try (PreparedUpgrade retry = luo.prepareUpgrade()) {
            out.println("retry: " + retry.handover().image().remaining() + " bytes");
        } catch (Throwable e) {
            out.println("retry threw: " + e);
        }
        out.flush();
        Runtime.getRuntime().halt(0);
    }
}
