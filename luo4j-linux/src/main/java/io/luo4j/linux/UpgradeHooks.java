package io.luo4j.linux;

/**
 * What a service does around an upgrade, seen from the running process (the predecessor): the
 * application's side of the freeze. luo4j calls these on a thread of its own, never two at once.
 *
 * <ol>
 *   <li>{@link #stopTakingWork()}: the successor has started and connected; the freeze comes next.</li>
 *   <li>then either {@link #takeWorkAgain()} (the upgrade rolled back: serve on, everything is as it
 *       was), or, once the successor has served through its grace period,
 *       {@link #successorServes()} (this process is done), or, when the successor died in its grace
 *       period, {@link #takeServiceBack()} (serve again).</li>
 * </ol>
 *
 * A service that serves from one selector loop implements them with a {@link ServingPause}.
 */
public interface UpgradeHooks {
    /**
     * Stop taking new work, finish or park what is in flight, and record on each
     * {@link TcpConnection} the bytes read but not handled and the bytes not yet written. From now
     * on the service must not change preserved state. Throw to refuse the upgrade (it rolls back,
     * and {@link #takeWorkAgain()} follows).
     */
    default void stopTakingWork() {}

    /** The upgrade rolled back: every descriptor and every byte is as it was; take work again. */
    default void takeWorkAgain() {}

    /**
     * The successor took over and then died, or stopped answering, within its grace period: this
     * process serves again, with every descriptor it preserved (they never left it). Unlike a
     * rollback, the successor served for a while: shared memory (memfds) holds its writes, so
     * reload what you keep of it in Java objects; the bytes in flight recorded at
     * {@link #stopTakingWork()} were handed to it and used, so drop them; connections it accepted
     * itself are gone with it. The default does what {@link #takeWorkAgain()} does.
     */
    default void takeServiceBack() {
        takeWorkAgain();
    }

    /**
     * The upgrade committed, luoctl has its answer and luo4j has let go: the successor serves every
     * client now. End this process (return from main, or exit) without closing the channels it
     * handed over: the successor holds its own descriptors, but a library's close may shut a
     * socket down for both (Netty's does), and writing to preserved state would be seen by the
     * successor. luo4j itself never ends the process.
     */
    default void successorServes() {}
}
