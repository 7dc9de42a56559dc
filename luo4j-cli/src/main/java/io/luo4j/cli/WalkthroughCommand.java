package io.luo4j.cli;

import io.luo4j.Errno;
import io.luo4j.FileHandler;
import io.luo4j.FileOpArgs;
import io.luo4j.Handover;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.PreparedUpgrade;
import io.luo4j.Session;
import io.luo4j.image.Image;
import io.luo4j.image.ImageReader;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code luoctl walkthrough}: a live update inside one JVM, step by step. A predecessor orchestrator
 * preserves "ledgers" (in-memory lists of entries) into two sessions, an upgrade fails on purpose
 * and rolls back, a second upgrade writes the image, and a fresh successor orchestrator loads it,
 * retrieves every ledger and checks each entry. Exit 0 only when every entry came back.
 */
@Command(name = "walkthrough", description = "A live update inside one JVM, step by step (luo4j-core only).")
final class WalkthroughCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--ledgers", defaultValue = "5", converter = Ranges.Positive.class,
            description = "Ledgers to preserve (default: ${DEFAULT-VALUE}).")
    private int ledgers = 5;

    @Option(names = "--entries", defaultValue = "1000", converter = Ranges.NonNegative.class,
            description = "Entries per ledger (default: ${DEFAULT-VALUE}).")
    private int entries = 1000;

    /** The walkthrough's file type: an append-only list of entries, carried over as its bytes. */
    static final class Ledger {
        final List<String> entries = new ArrayList<>();

        byte[] toBytes() {
            return String.join("\n", entries).getBytes(StandardCharsets.UTF_8);
        }

        static Ledger fromBytes(byte[] bytes) {
            Ledger ledger = new Ledger();
            if (bytes.length > 0) {
                ledger.entries.addAll(List.of(new String(bytes, StandardCharsets.UTF_8).split("\n")));
            }
            return ledger;
        }
    }

    /**
     * {@code ledger-v1}, the walkthrough's file handler: a ledger travels as its bytes, taken again at
     * freeze so that entries added after preserve travel too. While {@code failFreeze} is set, freeze
     * refuses, as a handler that finds its device busy would.
     */
    static final class LedgerHandler implements FileHandler {
        private final AtomicBoolean failFreeze;

        LedgerHandler(AtomicBoolean failFreeze) {
            this.failFreeze = failFreeze;
        }

        /** "ledger-v1". */
        @Override
        public String compatible() {
            return "ledger-v1";
        }

        /** Any {@link Ledger}. */
        @Override
        public boolean canPreserve(Object file) {
            return file instanceof Ledger;
        }

        /** The ledger's entries, as bytes. */
        @Override
        public void preserve(FileOpArgs a) {
            a.setSerializedData(((Ledger) a.file()).toBytes());
        }

        /** The entries again, as of now; refused while {@code failFreeze} is set. */
        @Override
        public void freeze(FileOpArgs a) {
            if (failFreeze.get()) {
                throw new LiveUpdateException(Errno.EAGAIN, "ledger " + a.token() + " is busy (injected)");
            }
            a.setSerializedData(((Ledger) a.file()).toBytes()); // entries added after preserve travel too
        }

        /** Nothing: a ledger holds no resource. */
        @Override
        public void unpreserve(FileOpArgs a) {}

        /** A new ledger with the same entries. */
        @Override
        public void retrieve(FileOpArgs a) {
            a.setFile(Ledger.fromBytes(a.serializedData()));
        }

        /** Nothing: the ledger belongs to the application. */
        @Override
        public void finish(FileOpArgs a) {}
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("luo4j walkthrough: a live update inside one JVM, with luo4j-core alone (luoctl demo upgrades real processes)");

        AtomicBoolean failFreeze = new AtomicBoolean();
        LiveUpdateOrchestrator predecessor = LiveUpdateOrchestrator.create();
        predecessor.registerHandler(new LedgerHandler(failFreeze));
        out.printf("[predecessor gen %d] registered file handler ledger-v1%n", predecessor.generation());

        List<Ledger> originals = new ArrayList<>();
        Session orders = predecessor.createSession("orders");
        Session audit = predecessor.createSession("audit");
        for (int i = 0; i < ledgers; i++) {
            Ledger ledger = new Ledger();
            for (int e = 0; e < entries; e++) {
                ledger.entries.add("ledger" + i + "-entry" + e);
            }
            (i % 2 == 0 ? orders : audit).preserve(i, ledger);
            originals.add(ledger);
        }
        out.printf("[predecessor] preserved %d ledgers of %d entries into sessions \"orders\" and \"audit\"%n", ledgers, entries);
        originals.get(0).entries.add("written-after-preserve");
        out.println("[predecessor] appended an entry after preserve (freeze will carry it)");

        failFreeze.set(true);
        try {
            predecessor.prepareUpgrade();
            out.println("[predecessor] unexpected: the failing upgrade succeeded");
            return 1;
        } catch (LiveUpdateException e) {
            out.printf("[predecessor] upgrade 1 failed as injected (%s): rolled back, still serving%n", e.reason());
        }
        failFreeze.set(false);

        Handover handover;
        try (PreparedUpgrade upgrade = predecessor.prepareUpgrade()) {
            handover = upgrade.handover();
            Image image = ImageReader.read(handover.image());
            out.printf("[predecessor] upgrade 2: froze %d sessions and %d files; image %d bytes, generation %d%n",
                    image.sessions().size(), image.fileCount(), handover.image().remaining(), image.generation());
            upgrade.commit();
        }
        out.println("[predecessor] committed: it now refuses every operation and would exit");

        LiveUpdateOrchestrator successor = LiveUpdateOrchestrator.create();
        successor.registerHandler(new LedgerHandler(new AtomicBoolean()));
        ByteBuffer image = handover.image();
        successor.loadIncoming(image, handover.descriptors());
        out.printf("[successor gen %d] loaded the image; incoming sessions %s%n", successor.generation(),
                successor.incomingSessionNames());

        int verified = 0;
        for (String name : successor.incomingSessionNames()) {
            try (Session in = successor.retrieveSession(name)) {
                for (long token : in.tokens()) {
                    Ledger ledger = in.retrieve(token, Ledger.class);
                    if (ledger.entries.equals(originals.get((int) token).entries)) {
                        verified++;
                    }
                }
            } // closing a retrieved session finishes it
        }
        out.printf("[successor] retrieved and finished every session; %d of %d ledgers identical%n", verified, ledgers);
        out.printf("walkthrough: upgrades=1 rollbacks=1 sessions=2 ledgers_verified=%d/%d generation=%d%n",
                verified, ledgers, successor.generation());
        return verified == ledgers ? 0 : 1;
    }
}
