package io.luo4j.kv;

import io.luo4j.kv.store.KvError;

/**
 * What the administrative commands act on beyond the store: the snapshot file (SAVE) and the
 * process (SHUTDOWN). The service gives the real one; a store on its own (warm-up, tests) refuses.
 */
interface KvAdmin {
    /** Writes the snapshot file; returns its size. A {@link KvError} says why it could not. */
    long save();

    /** Whether SHUTDOWN without an argument saves first (a snapshot file is configured). */
    boolean savesOnShutdown();

    /**
     * Stops the service once this round of commands is done: no new connections, every client
     * answered what it sent, then closed; the process exits.
     */
    void shutdown();

    /** Refuses SAVE and SHUTDOWN: for a store that is not a running service. */
    KvAdmin NONE = new KvAdmin() {
        @Override
        public long save() {
            throw new KvError("ERR this store has no snapshot file");
        }

        @Override
        public boolean savesOnShutdown() {
            return false;
        }

        @Override
        public void shutdown() {
            throw new KvError("ERR this store is not a running service");
        }
    };
}
