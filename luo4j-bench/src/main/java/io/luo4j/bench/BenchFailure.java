package io.luo4j.bench;

/**
 * A functional error met while measuring: a rolled-back upgrade, a lost key, a checksum that
 * changed. It ends the suite that met it; the report names it and the bench exits non-zero.
 */
public final class BenchFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public BenchFailure(String message) {
        super(message);
    }
}
