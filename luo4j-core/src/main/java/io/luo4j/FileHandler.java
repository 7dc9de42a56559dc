package io.luo4j;

import java.util.Objects;

/**
 * A handler for one type of live-updatable file, the kernel's {@code liveupdate_file_handler}: a
 * versioned {@link #compatible() compatible} string and the callbacks that carry files of that type
 * through a live update.
 *
 * <table>
 *   <caption>Callbacks</caption>
 *   <tr><th>callback</th><th>required</th><th>called</th></tr>
 *   <tr><td>canPreserve</td><td>yes</td><td>on preserve, handlers probed in registration order, first yes wins</td></tr>
 *   <tr><td>preserve</td><td>yes</td><td>on preserve: the heavy work, done while the service runs</td></tr>
 *   <tr><td>unpreserve</td><td>yes</td><td>when an outgoing session is closed: undo preserve</td></tr>
 *   <tr><td>freeze</td><td>no</td><td>during the upgrade, last chance to update the serialized data</td></tr>
 *   <tr><td>unfreeze</td><td>no</td><td>when an upgrade is rolled back after this file was frozen</td></tr>
 *   <tr><td>retrieve</td><td>yes</td><td>in the successor, the first time the application asks for the file</td></tr>
 *   <tr><td>canFinish</td><td>no</td><td>in the successor, before any file of the session is finished</td></tr>
 *   <tr><td>finish</td><td>yes</td><td>in the successor, last: the orchestrator gives the file up</td></tr>
 *   <tr><td>identity</td><td>no</td><td>on preserve: the key that tells two references to one underlying file apart (default: the object itself)</td></tr>
 * </table>
 *
 * <p>A handler is built with {@link #builder(String)}; the orchestrator checks it when it is
 * {@linkplain LiveUpdateOrchestrator#registerHandler registered}: a missing required callback or a
 * compatible string over 47 bytes is EINVAL there.
 *
 * <p>Callbacks may throw: a {@link LiveUpdateException} keeps its reason, anything else becomes EIO
 * with the exception as cause. Callbacks run with the session's lock held and must not call back
 * into the orchestrator.
 */
public final class FileHandler {

    /** {@code canPreserve}: whether this handler can preserve {@code file}. Must be cheap. */
    @FunctionalInterface
    public interface Probe {
        boolean canPreserve(FileHandler handler, Object file) throws Exception;
    }

    /** A callback that works on one preserved file. */
    @FunctionalInterface
    public interface Operation {
        void apply(FileOpArgs args) throws Exception;
    }

    /** {@code canFinish}: whether the file is ready to be finished. */
    @FunctionalInterface
    public interface Check {
        boolean test(FileOpArgs args) throws Exception;
    }

    /**
     * {@code identity}: a key equal for every reference to the same underlying file (for example
     * device and inode of a descriptor), so that a file preserved twice is caught (EBUSY).
     */
    @FunctionalInterface
    public interface Identity {
        Object of(Object file) throws Exception;
    }

    private final String compatible;
    private final Probe canPreserve;
    private final Operation preserve;
    private final Operation unpreserve;
    private final Operation freeze;
    private final Operation unfreeze;
    private final Operation retrieve;
    private final Check canFinish;
    private final Operation finish;
    private final Identity identity;

    private FileHandler(Builder b) {
        this.compatible = b.compatible;
        this.canPreserve = b.canPreserve;
        this.preserve = b.preserve;
        this.unpreserve = b.unpreserve;
        this.freeze = b.freeze;
        this.unfreeze = b.unfreeze;
        this.retrieve = b.retrieve;
        this.canFinish = b.canFinish;
        this.finish = b.finish;
        this.identity = b.identity;
    }

    /** Starts a handler for files of type {@code compatible}, e.g. "memfd-v1". */
    public static Builder builder(String compatible) {
        return new Builder(compatible);
    }

    /** The versioned type name matched against the image in the successor. */
    public String compatible() {
        return compatible;
    }

    Probe canPreserve() {
        return canPreserve;
    }

    Operation preserve() {
        return preserve;
    }

    Operation unpreserve() {
        return unpreserve;
    }

    Operation freeze() {
        return freeze;
    }

    Operation unfreeze() {
        return unfreeze;
    }

    Operation retrieve() {
        return retrieve;
    }

    Check canFinish() {
        return canFinish;
    }

    Operation finish() {
        return finish;
    }

    Identity identity() {
        return identity;
    }

    /** Names the required callbacks that are missing, or returns null when all are there. */
    String missingRequiredCallbacks() {
        return new RequiredCallbacks()
                .require("canPreserve", canPreserve)
                .require("preserve", preserve)
                .require("unpreserve", unpreserve)
                .require("retrieve", retrieve)
                .require("finish", finish)
                .missing();
    }

    @Override
    public String toString() {
        return "FileHandler[" + compatible + "]";
    }

    /** Collects a handler's callbacks; unset optional ones are skipped in their phase. */
    public static final class Builder {
        private final String compatible;
        private Probe canPreserve;
        private Operation preserve;
        private Operation unpreserve;
        private Operation freeze;
        private Operation unfreeze;
        private Operation retrieve;
        private Check canFinish;
        private Operation finish;
        private Identity identity;

        private Builder(String compatible) {
            this.compatible = Objects.requireNonNull(compatible, "compatible");
        }

        public Builder canPreserve(Probe probe) {
            this.canPreserve = probe;
            return this;
        }

        public Builder preserve(Operation op) {
            this.preserve = op;
            return this;
        }

        public Builder unpreserve(Operation op) {
            this.unpreserve = op;
            return this;
        }

        public Builder freeze(Operation op) {
            this.freeze = op;
            return this;
        }

        public Builder unfreeze(Operation op) {
            this.unfreeze = op;
            return this;
        }

        public Builder retrieve(Operation op) {
            this.retrieve = op;
            return this;
        }

        public Builder canFinish(Check check) {
            this.canFinish = check;
            return this;
        }

        public Builder finish(Operation op) {
            this.finish = op;
            return this;
        }

        public Builder identity(Identity identity) {
            this.identity = identity;
            return this;
        }

        /** The handler; its callbacks are checked when it is registered. */
        public FileHandler build() {
            return new FileHandler(this);
        }
    }
}
