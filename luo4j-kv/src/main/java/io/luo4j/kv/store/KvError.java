package io.luo4j.kv.store;

/** An error the client sees, in Redis's words ("WRONGTYPE ...", "ERR ..."). */
public final class KvError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KvError(String message) {
        super(message, null, false, false);
    }

    static KvError wrongType() {
        return new KvError("WRONGTYPE Operation against a key holding the wrong kind of value");
    }
}
