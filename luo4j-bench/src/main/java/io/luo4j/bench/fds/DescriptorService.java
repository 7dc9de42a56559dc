package io.luo4j.bench.fds;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import io.luo4j.linux.LiveUpdate;
import io.luo4j.linux.Memfd;
import io.luo4j.linux.OpenFileLimit;
import io.luo4j.linux.UpgradeHooks;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The descriptor-count benchmark's service: it holds {@code --count} memfds (empty: the count is
 * what is measured, not the memory) in one session, and hands them all to its successor, which
 * checks that each arrived as itself (by its name) before it reports ready. Then it preserves them
 * again, says so on its output, and waits for the next upgrade.
 *
 * <p>Once a memfd is preserved the service closes its own copy: the orchestrator's reference keeps
 * the file, as the kernel's does, so each process holds every descriptor once, not twice. It
 * raises its open-file limit to the count and some (the successor inherits the limit).
 */
public final class DescriptorService {
    static final String SESSION = "fds";
    /** The end of the line it prints once everything is preserved: "descriptors NAME: pid P, N preserved, serving". */
    static final String READY = "preserved, serving";

    private DescriptorService() {}

    /** {@code --name NAME --count N}. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4 || !args[0].equals("--name") || !args[2].equals("--count")) {
            System.err.println("usage: DescriptorService --name NAME --count N");
            System.exit(2);
        }
        String name = args[1];
        int count = Integer.parseInt(args[3]);
        OpenFileLimit.raise(requiredOpenFiles(count));
        CountDownLatch handedOver = new CountDownLatch(1);
        UpgradeHooks hooks = new UpgradeHooks() {
            @Override
            public void successorServes() {
                handedOver.countDown();
            }
        };
        try (LiveUpdate live = LiveUpdate.builder(name).start()) {
            LiveUpdateOrchestrator luo = live.orchestrator();
            List<Memfd> retrieved = live.isSuccessor() ? takeOver(live, count, hooks) : List.of();
            Session outgoing = luo.createSession(SESSION);
            for (int i = 0; i < count; i++) {
                Memfd memfd = live.isSuccessor() ? retrieved.get(i) : Memfd.create(memfdName(i), 0);
                outgoing.preserve(i, memfd);
                memfd.close(); // the preserved reference is the one that travels
            }
            if (!live.isSuccessor()) {
                live.ready(hooks);
            }
            System.out.println("descriptors " + name + ": pid " + ProcessHandle.current().pid() + ", " + count + " " + READY);
            handedOver.await(); // until an upgrade commits: the successor holds everything then
        }
        System.exit(0);
    }

    /** What one service of {@code count} descriptors needs as its open-file limit. */
    static long requiredOpenFiles(int count) {
        return count + HEADROOM;
    }

    /** Room for what the JVM, the control socket and the handover open beside the preserved files. */
    static final int HEADROOM = 512;

    static String memfdName(long token) {
        return "fd-" + token;
    }

    private static List<Memfd> takeOver(LiveUpdate live, int count, UpgradeHooks hooks) {
        Session incoming = live.orchestrator().retrieveSession(SESSION);
        Memfd[] memfds = new Memfd[count];
        List<Long> tokens = incoming.tokens();
        if (tokens.size() != count) {
            throw new LiveUpdateException(Errno.EBADMSG, tokens.size() + " descriptors arrived, not " + count);
        }
        for (long token : tokens) {
            Memfd memfd = incoming.retrieve(token, Memfd.class);
            if (token >= count || !memfd.name().equals(memfdName(token))) {
                throw new LiveUpdateException(Errno.EBADMSG, "token " + token + " arrived as " + memfd.name());
            }
            memfds[(int) token] = memfd;
        }
        live.ready(hooks);
        incoming.finish();
        return List.of(memfds);
    }
}
