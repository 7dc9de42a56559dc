package io.luo4j.linux;

/**
 * What a service does around an upgrade. All methods run on the thread that drives the upgrade.
 */
public interface UpgradeListener {
    /**
     * Predecessor, once the successor has started and connected, right before freeze: stop taking
     * new work, finish or park what is in flight, and record on each {@link TcpConnection} the bytes
     * read but not handled. From now on the service must not change preserved state. Throw to refuse
     * the upgrade (it rolls back).
     */
    default void quiesce() {}

    /** Predecessor, after a rollback: the service is whole again; take work again. */
    default void resume() {}

    /**
     * Predecessor, after the commit was reported: the successor serves now. The default exits the
     * process. Closing channels or unmapping memfds here is harmless (the successor holds its own
     * descriptors); writing to preserved state is not.
     */
    default void committed() {
        System.exit(0);
    }
}
