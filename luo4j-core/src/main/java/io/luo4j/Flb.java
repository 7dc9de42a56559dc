package io.luo4j;

import java.util.Objects;

/**
 * A file-lifecycle-bound shared object (the kernel's {@code liveupdate_flb}): state that many
 * preserved files need, born with the first of them and dropped with the last.
 *
 * <p>An FLB is {@linkplain LiveUpdateOrchestrator#registerFlb registered} for one or more file
 * handlers. Every file those handlers preserve counts as a user, across all sessions:
 * <ul>
 *   <li>{@code preserve} runs when the first user is preserved, {@code unpreserve} when the last is
 *       unpreserved;</li>
 *   <li>the upgrade carries the FLB's data and user count to the successor;</li>
 *   <li>{@code retrieve} runs there on demand, the first time someone asks for the
 *       {@linkplain LiveUpdateOrchestrator#flbIncoming incoming object}, once;</li>
 *   <li>{@code finish} runs when the last user is finished.</li>
 * </ul>
 * All four callbacks are required (EINVAL at registration otherwise).
 */
public final class Flb {

    /** An FLB callback. */
    @FunctionalInterface
    public interface Operation {
        void apply(FlbOpArgs args) throws Exception;
    }

    private final String compatible;
    private final Operation preserve;
    private final Operation unpreserve;
    private final Operation retrieve;
    private final Operation finish;

    private Flb(Builder b) {
        this.compatible = b.compatible;
        this.preserve = b.preserve;
        this.unpreserve = b.unpreserve;
        this.retrieve = b.retrieve;
        this.finish = b.finish;
    }

    /** Starts an FLB named {@code compatible}, e.g. "memfd-arena-v1". */
    public static Builder builder(String compatible) {
        return new Builder(compatible);
    }

    /** The versioned name matched against the image in the successor; unique among FLBs. */
    public String compatible() {
        return compatible;
    }

    Operation preserve() {
        return preserve;
    }

    Operation unpreserve() {
        return unpreserve;
    }

    Operation retrieve() {
        return retrieve;
    }

    Operation finish() {
        return finish;
    }

    /** Names the callbacks that are missing (all four are required), or returns null. */
    String missingCallbacks() {
        return new RequiredCallbacks()
                .require("preserve", preserve)
                .require("unpreserve", unpreserve)
                .require("retrieve", retrieve)
                .require("finish", finish)
                .missing();
    }

    @Override
    public String toString() {
        return "Flb[" + compatible + "]";
    }

    /** Collects an FLB's four callbacks. */
    public static final class Builder {
        private final String compatible;
        private Operation preserve;
        private Operation unpreserve;
        private Operation retrieve;
        private Operation finish;

        private Builder(String compatible) {
            this.compatible = Objects.requireNonNull(compatible, "compatible");
        }

        public Builder preserve(Operation op) {
            this.preserve = op;
            return this;
        }

        public Builder unpreserve(Operation op) {
            this.unpreserve = op;
            return this;
        }

        public Builder retrieve(Operation op) {
            this.retrieve = op;
            return this;
        }

        public Builder finish(Operation op) {
            this.finish = op;
            return this;
        }

        public Flb build() {
            return new Flb(this);
        }
    }
}
