/**
 * luo4j on Linux: a running service hands its descriptors and their state to its successor
 * process. Start reading at {@link io.luo4j.linux.LiveUpdate}; the core model it drives is in
 * {@code io.luo4j}.
 *
 * <h2>The upgrade, end to end</h2>
 * <ol>
 *   <li><b>Start-up</b> ({@link io.luo4j.linux.LiveUpdate.Builder#start()}): the orchestrator gets
 *       the application's handlers and the built-in ones ({@code memfd-v1}, {@code tcp-listener-v1},
 *       {@code unix-listener-v1}, {@code tcp-connection-v1}, {@code file-v1}, {@code arena-region-v1}
 *       with the {@code memfd-arena-v1} FLB). Started cold, the service binds its control socket
 *       ({@code RUNTIME_DIR/NAME.sock}, see {@link io.luo4j.linux.RuntimeDirectory}) and preserves it
 *       in luo4j's own session; the application creates its sessions and preserves its listener,
 *       its memory and each connection as it comes.</li>
 *   <li><b>Request</b>: {@code luoctl upgrade NAME} asks over the control socket
 *       ({@code control.ControlServer}); one upgrade at a time, a second is EBUSY.</li>
 *   <li><b>Successor start</b> ({@code handover.PredecessorHandover}): the service's own command
 *       line (or {@code --exec}) runs with the handover socket's path and a one-time nonce in its
 *       environment. The predecessor serves on while the new JVM starts; the successor connects back
 *       and the predecessor checks its uid (SO_PEERCRED), its pid (the child, or a descendant) and
 *       the nonce.</li>
 *   <li><b>Freeze</b>: the {@link io.luo4j.linux.UpgradeListener} quiesces the service (no new work,
 *       unread bytes recorded on each {@link io.luo4j.linux.TcpConnection}; a one-thread serving loop
 *       parks through {@link io.luo4j.linux.ServingPause}); the orchestrator freezes
 *       every session and writes the image.</li>
 *   <li><b>Transfer</b>: the image goes in a sealed memfd, the descriptors beside it in SCM_RIGHTS
 *       batches of at most 253 ({@code internal.SeqpacketSocket}).</li>
 *   <li><b>Take-over</b> ({@code handover.SuccessorHandover}): the successor maps the image,
 *       loads it, and the application retrieves its sessions and files: the JDK's own channels
 *       ({@code internal.JdkChannels}), the same memfd pages. Then
 *       {@link io.luo4j.linux.LiveUpdate#ready()} reports READY.</li>
 *   <li><b>Commit</b>: the predecessor commits, stops accepting on the handed-over control socket,
 *       sends COMMIT, answers luoctl and exits ({@link io.luo4j.linux.UpgradeListener#committed()}).
 *       The successor finishes its incoming sessions, preserves everything again for the next
 *       upgrade, and serves.</li>
 * </ol>
 *
 * <h2>Unhappy paths</h2>
 * Before commit every failure rolls back: the predecessor unfreezes, resumes the service, sends
 * ABORT and kills the successor; every connection, every byte of memory and every half-read request
 * are still there. The failures: the successor cannot be started or exits (ESRCH, ECONNRESET), does
 * not become ready in time (ETIMEDOUT), reports that it cannot take over (a corrupt image: EBADMSG;
 * a handler missing: ENOENT), the peer is not the successor (EACCES), or the freeze fails (the
 * handler's error). A predecessor that dies after sending everything leaves a successor that holds
 * everything: it takes over. One that dies earlier leaves a successor that cannot connect: it
 * exits with a clear message and nothing is half taken over.
 *
 * <h2>Packages</h2>
 * <ul>
 *   <li>this package: the service API ({@code LiveUpdate}, {@code Memfd}, {@code TcpConnection},
 *       {@code MemoryArena}) and the built-in handlers (package-private, one class per file type
 *       implementing {@code FileHandler}, the descriptor-backed ones sharing {@code DescriptorHandler});</li>
 *   <li>{@code handover}: the two sides of one upgrade and their protocol;</li>
 *   <li>{@code control}: the control socket, its line protocol, luoctl's client and reports;</li>
 *   <li>{@code internal}: the system calls through FFM and the JDK channel adoption; not API.</li>
 * </ul>
 *
 * <h2>JVM flags</h2>
 * {@code --enable-native-access=ALL-UNNAMED} for the FFM calls, and
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED}
 * to adopt descriptors as JDK channels (why: {@code internal.JdkChannels}). bin/luoctl sets them;
 * {@link io.luo4j.linux.JavaCommand} builds a command line that has them. A service that preserves
 * many descriptors raises its {@link io.luo4j.linux.OpenFileLimit} once: successors inherit it.
 */
package io.luo4j.linux;
