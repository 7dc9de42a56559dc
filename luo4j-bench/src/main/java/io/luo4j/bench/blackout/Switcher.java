package io.luo4j.bench.blackout;

/**
 * One way of replacing a running kv service with a new process: luo4j's live update, or a
 * baseline. The harness starts it, loads data, puts clients on it, and switches it several times;
 * the processes it starts are its {@link KvServices}', which the harness stops.
 */
interface Switcher {
    /** Starts the first process; returns once it serves. */
    void start() throws Exception;

    /**
     * Replaces the serving process by a new one; returns once the new one serves alone.
     *
     * @param number the switch's number, from 1 (names new processes)
     * @return the pause the service itself measured (luo4j's blackout), or NaN when it has none
     */
    double switchOnce(int number) throws Exception;
}
