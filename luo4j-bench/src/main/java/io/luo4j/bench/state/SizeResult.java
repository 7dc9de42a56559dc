package io.luo4j.bench.state;

import io.luo4j.bench.Samples;

/**
 * One state size's figures, each over the repeats.
 *
 * @param size            the size asked for
 * @param stateBytes      the memfd bytes the service actually held (whole 64 MiB segments)
 * @param handover        luo4j: freeze to ready, ms
 * @param read            luo4j: the successor's first full read, ms
 * @param save            baseline: writing the snapshot file (forced to disk), ms
 * @param load            baseline: the new process loading it, ms
 * @param baselineHandover baseline: save + load, ms
 * @param baselineRead    baseline: the new process's first full read, ms
 * @param error           why the size could not be measured in full ("" when it was)
 */
public record SizeResult(long size, long stateBytes, Samples handover, Samples read, Samples save, Samples load, Samples baselineHandover,
        Samples baselineRead, String error) {

    /** Collects the figures as they are measured. */
    static final class Builder {
        private final long size;
        private long stateBytes;
        private final Samples handover = new Samples();
        private final Samples read = new Samples();
        private final Samples save = new Samples();
        private final Samples load = new Samples();
        private final Samples baselineHandover = new Samples();
        private final Samples baselineRead = new Samples();
        private String error = "";

        Builder(long size) {
            this.size = size;
        }

        void stateBytes(long bytes) {
            stateBytes = bytes;
        }

        void luo4j(double handoverMillis, double readMillis) {
            handover.add(handoverMillis);
            read.add(readMillis);
        }

        void baseline(double saveMillis, double loadMillis, double readMillis) {
            save.add(saveMillis);
            load.add(loadMillis);
            baselineHandover.add(saveMillis + loadMillis);
            baselineRead.add(readMillis);
        }

        void error(String why) {
            error = why;
        }

        SizeResult build() {
            return new SizeResult(size, stateBytes, handover, read, save, load, baselineHandover, baselineRead, error);
        }
    }
}
