/**
 * luo4j on Linux: a running service hands its descriptors and their state to its successor
 * process, and takes everything back if the successor fails. Start reading at
 * {@link io.luo4j.linux.LiveUpdate}; the core model it drives is in {@code io.luo4j}.
 *
 * <h2>The upgrade, end to end (and the file to read for each step)</h2>
 * <ol>
 *   <li><b>Start-up</b> ({@link io.luo4j.linux.LiveUpdate.Builder#start()}), in three documented
 *       steps: the handlers are registered (the application's, then the built-in
 *       {@code memfd-v1}, {@code tcp-listener-v1}, {@code unix-listener-v1},
 *       {@code tcp-connection-v1}, {@code file-v1} and {@code arena-region-v1} with its
 *       {@code memfd-arena-v1} FLB: {@code MemfdHandler}, {@code ListenerHandler},
 *       {@code ConnectionHandler}, {@code RegularFileHandler}, {@code ArenaHandlers}); the warm-up
 *       runs ({@code WarmUpStep} with the application's {@link io.luo4j.linux.WarmUp}, {@code ThrowawayUpgrade}, {@code handover.HandoverRehearsal}); then a
 *       process started cold binds its control socket ({@code ControlSocket},
 *       {@code RUNTIME_DIR/NAME.sock}, see {@code control.RuntimeDirectory}). The
 *       application creates its sessions, preserves its listener, memory and each connection as it
 *       comes, and says {@link io.luo4j.linux.LiveUpdate#ready(UpgradeHooks)} with its
 *       {@link io.luo4j.linux.UpgradeHooks}.</li>
 *   <li><b>Request</b>: {@code luoctl upgrade NAME} asks over the control socket
 *       ({@code control.ControlServer}, which asks its {@code ControlTarget} once); one upgrade
 *       at a time, a second is EBUSY.</li>
 *   <li><b>Successor start</b> ({@code PredecessorUpgrade} drives every step from here to the
 *       commit; {@code handover.SuccessorProcess} is the process part): the service's own command
 *       line ({@code ServiceCommandLine}, or {@code --exec}) runs with the handover socket's path
 *       and a one-time nonce in its environment. The predecessor serves on while the new JVM starts;
 *       the successor connects back and the predecessor checks its uid (SO_PEERCRED), its pid (the
 *       child, or a descendant) and the nonce.</li>
 *   <li><b>Freeze</b>: {@link io.luo4j.linux.UpgradeHooks#stopTakingWork()} (no new work; unread
 *       and unwritten bytes recorded on each {@link io.luo4j.linux.TcpConnection}; a one-thread
 *       serving loop parks through {@link io.luo4j.linux.ServingPause}); the orchestrator freezes
 *       every session and writes the image.</li>
 *   <li><b>Transfer</b> ({@code handover.HandoverConversation}): the image inline or in a sealed
 *       memfd, the descriptors beside it in SCM_RIGHTS batches of at most 253
 *       ({@code internal.SeqpacketSocket}).</li>
 *   <li><b>Take-over</b> ({@code handover.SuccessorHandover}): the successor maps the image,
 *       loads it (the generation the predecessor announced must be the image's), and the
 *       application retrieves its sessions and files: the JDK's own channels
 *       ({@code internal.JdkChannels}), the same memfd pages. Then
 *       {@link io.luo4j.linux.LiveUpdate#ready(UpgradeHooks)} reports READY.</li>
 *   <li><b>Commit and grace period</b>: the predecessor sends COMMIT and the successor serves; the
 *       predecessor keeps everything, frozen, until the successor has said FINISHED (its
 *       application finished every incoming session) and lived the grace period saying ALIVE
 *       ({@code handover.HandoverConversation#watchGrace}). Then it commits; the outcome goes back
 *       up to the control server, which stops accepting and writes luoctl its answer. Then the
 *       predecessor retires ({@code LiveUpdate.retire}): it closes the handover connection (the
 *       successor's signal to take the control socket over from luo4j's own session) and calls
 *       {@link io.luo4j.linux.UpgradeHooks#successorServes()}; the application's main ends the
 *       process. luo4j never exits the JVM.</li>
 * </ol>
 *
 * <h2>Unhappy paths</h2>
 * Before commit every failure rolls back: the predecessor unfreezes, calls
 * {@link io.luo4j.linux.UpgradeHooks#takeWorkAgain()}, sends ABORT and kills the successor; every
 * connection, every byte of memory and every half-read request are still there. The failures: the
 * successor cannot be started (ENOENT) or exits (ESRCH, ECONNRESET), does not become ready in time
 * (ETIMEDOUT), reports that it cannot take over (a corrupt image: EBADMSG; a handler missing:
 * ENOENT), the peer is not the successor (EACCES), or the freeze fails (the handler's error). A
 * successor that dies or falls silent within its grace period, after the commit, is killed and the
 * service taken back ({@link io.luo4j.linux.UpgradeHooks#takeServiceBack()}): the descriptors never
 * left the predecessor and the memfd pages are shared, so nothing preserved is lost. A
 * predecessor that dies after sending everything leaves a successor that holds everything: it takes
 * over (it sees the death through the handover connection's end and a pidfd, zombie or not). One
 * that dies earlier leaves a successor that cannot connect or load: it exits with a clear message
 * and nothing is half taken over.
 *
 * <h2>Packages</h2>
 * <ul>
 *   <li>this package: the service API ({@code LiveUpdate}, {@code UpgradeHooks},
 *       {@code ServingPause}, {@code Memfd}, {@code TcpConnection}, {@code MemoryArena}) and,
 *       package-private, the built-in handlers (one class per file type implementing
 *       {@code FileHandler}, the descriptor-backed ones sharing {@code DescriptorHandler}) and the
 *       steps of start-up and upgrade;</li>
 *   <li>{@code handover}: the two sides of one upgrade (process and conversation) and their
 *       protocol; not exported;</li>
 *   <li>{@code control}: the control socket, its line protocol, luoctl's client and reports;
 *       exported to luoctl and the benchmarks only;</li>
 *   <li>{@code internal}: the system calls through FFM, the byte codec, and the JDK channel
 *       adoption; not exported.</li>
 * </ul>
 *
 * <h2>JVM flags</h2>
 * Native access for this module, and {@code java.base/sun.nio.ch} and {@code java.base/java.io}
 * opened to it, to adopt descriptors as JDK channels (why: {@code internal.JdkChannels}).
 * {@link io.luo4j.linux.JavaCommand#requiredOptions()} spells them for the module path or the class
 * path; bin/luoctl passes them, and a successor started from the service's own command line has
 * them. A service that preserves many descriptors raises its {@link io.luo4j.linux.OpenFileLimit}
 * once: successors inherit it.
 */
package io.luo4j.linux;
