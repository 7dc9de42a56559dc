/**
 * The Live Update Orchestrator: how a process hands its files and their state to its successor.
 *
 * <p>This package is luo4j's model of the kernel's LUO (kernel/liveupdate/luo_session.c,
 * luo_file.c, luo_flb.c and include/linux/liveupdate.h), one level up: the kernel that kexecs into
 * its successor becomes a process that execs its successor, and the file descriptors that survive
 * are the process's own. No class here makes a system call; luo4j-linux brings the real
 * descriptors, handlers and transport.
 *
 * <h2>Reading order</h2>
 * <ol>
 *   <li>{@link io.luo4j.LiveUpdateOrchestrator}: the entry point, one per process.</li>
 *   <li>{@link io.luo4j.FileHandler} and {@link io.luo4j.FileOpArgs}: how a type of file is carried
 *       over. An interface with the kernel's callback names: the required callbacks are its abstract
 *       methods, the optional ones default methods that do what the kernel does without them.
 *       {@link io.luo4j.Flb} and {@link io.luo4j.FlbOpArgs}: state shared by many files, an interface
 *       of four required callbacks. Implement them; {@code FileLifecycle} and {@code FlbState} call
 *       them.</li>
 *   <li>{@link io.luo4j.Session}: the named containers the application works with;
 *       {@code LiveSession} implements them and {@code FileLifecycle} does the per-file work.</li>
 *   <li>{@link io.luo4j.PreparedUpgrade}: freeze, image, then commit or roll back.</li>
 *   <li>{@link io.luo4j.image}: the handover image; {@link io.luo4j.command}: the command interface.</li>
 * </ol>
 *
 * <h2>Happy path</h2>
 * <ol>
 *   <li><b>Start-up.</b> The service registers its file handlers (and their FLBs) before it creates
 *       any session: registration needs a quiescent orchestrator.</li>
 *   <li><b>Preserve, while serving.</b> The service creates outgoing sessions and preserves its
 *       resources early: the listener at start, each connection as it is accepted, its memory
 *       regions. For each file the handlers are probed in registration order; the first that accepts
 *       it runs its preserve, the heavy work, and the file's FLBs gain a user (the first user runs the
 *       FLB's preserve).</li>
 *   <li><b>Freeze.</b> {@link io.luo4j.LiveUpdateOrchestrator#prepareUpgrade()} closes the gate
 *       (new operations wait, running ones drain), then freezes every session in creation order and
 *       every file in preservation order; freeze may replace a file's serialized data. The image is
 *       written: generation plus one, each session with its files (compatible string, token, data,
 *       descriptor indices), each FLB with users.</li>
 *   <li><b>Handover.</b> The image and the descriptors go to the successor, which
 *       {@linkplain io.luo4j.LiveUpdateOrchestrator#loadIncoming loads} them with the same handlers
 *       registered. Deserialization runs once, on first use: every compatible string must name a
 *       handler.</li>
 *   <li><b>Commit.</b> When the successor is ready the predecessor
 *       {@linkplain io.luo4j.PreparedUpgrade#commit() commits}: from then on it refuses every
 *       operation (ESHUTDOWN), and exits.</li>
 *   <li><b>Retrieve and finish.</b> The successor retrieves each session by name, once, and its files
 *       by token, in any order (a second retrieve returns the same object). Finishing a session asks
 *       every file's canFinish, then finishes all files newest first, retrieved or not; an FLB finishes
 *       with its last user. The files now belong to the application, which preserves them again into
 *       new outgoing sessions for the next upgrade. The finished session is no longer listed, but it
 *       stays retrieved until it is closed: retrieving it again is EINVAL until then, ENOENT after
 *       (closing an unfinished one finishes it).</li>
 * </ol>
 *
 * <h2>Unhappy paths</h2>
 * <ul>
 *   <li><b>Preserve fails</b> (token in use EEXIST, session full ENOSPC, bad file EBADF, no handler
 *       ENOENT, file already preserved EBUSY, or the handler's or an FLB's error): nothing is left
 *       behind; the FLB users taken are given back, the reference on the file released.</li>
 *   <li><b>Abort before the upgrade</b>: closing an outgoing session unpreserves every file, newest
 *       first, and frees the name.</li>
 *   <li><b>Freeze fails</b> on a file: the files of that session frozen before it are unfrozen, then
 *       every earlier session, in reverse creation order; the failing file gets no unfreeze, later
 *       files no freeze. The upgrade fails with that error, freeze's data is cleared, the gate opens:
 *       the service goes on and may try again.</li>
 *   <li><b>Handover fails after freeze</b> (successor crashed, hung, refused the image):
 *       {@linkplain io.luo4j.PreparedUpgrade#rollback() rollback} unfreezes as above and the process
 *       serves on with every session as it was. This is where luo4j goes beyond the kernel, which
 *       cannot take a kexec back.</li>
 *   <li><b>The successor cannot read the image</b>: format, version or checksum errors reject it
 *       before anything is built, and so does a generation that could not count one more upgrade
 *       (Long.MAX_VALUE, EOVERFLOW); an unknown compatible string fails deserialization (ENOENT),
 *       once, and the same error is reported on every later try (opening the command device reports
 *       it as EIO, as the kernel's open does); nothing half-built is published.</li>
 *   <li><b>Retrieve fails</b>: the error is remembered; later retrieves of that token report it
 *       without calling the handler again, and finish tells the handler the file failed.</li>
 *   <li><b>Finish refused</b>: a canFinish that says no makes finish EBUSY with nothing finished;
 *       finish may be tried again. A session never finished is discarded at the next upgrade's commit,
 *       not handed on.</li>
 *   <li><b>A callback throws anything</b>, an {@link java.lang.Error} too (an OutOfMemoryError, an
 *       AssertionError): a callback that answers fails its operation exactly as if it had thrown a
 *       LiveUpdateException, which is what it becomes, with what it threw as the cause: ENOMEM for an
 *       OutOfMemoryError, EIO for anything else. The same holds for what is thrown while the image is
 *       written (an image larger than the heap is ENOMEM) and while the image is deserialized. Every
 *       path restores the state as for any other failure: a failed upgrade unfreezes what it froze and
 *       opens the gate (a retry is not EBUSY, no thread waits for ever), a commit seals the gate, a
 *       rollback opens it. The void callbacks (unpreserve, unfreeze, finish, an FLB's unpreserve and
 *       finish, the {@link io.luo4j.FileTable}'s release) cannot fail the walk they are part of:
 *       whatever they throw is logged and the walk goes on, so a close, a rollback, a finish or a
 *       commit always completes.</li>
 * </ul>
 *
 * <h2>Locking</h2>
 * Four tiers, always taken in this order: the first three are the seeds' hierarchy, the fourth the
 * FLBs' own locks inside it.
 * <ol>
 *   <li>{@code SerializeGate} (the kernel's serialize rwsem): every session operation enters as a
 *       reader; an upgrade is the writer from freeze until commit or rollback. Readers wait while the
 *       writer holds it and are refused after a commit.</li>
 *   <li>{@code SessionList} (one per direction): written to insert or remove a session, read to find
 *       one or walk them. Sessions are inserted and removed inside the gate (a close or a finish
 *       leaves its list before it leaves the gate, as luo_session_release does), so an upgrade never
 *       sees a closed session still listed. Handler and FLB registration holds both for writing while
 *       it checks its arguments, then that no session exists.</li>
 *   <li>the lock of each {@code LiveSession}: held while its files are preserved, retrieved, frozen,
 *       unfrozen, finished or unpreserved; every file callback runs under it.</li>
 *   <li>each {@code FlbState}'s monitor: its user counts and callbacks.</li>
 * </ol>
 * Callbacks run with locks held and must not call back into the orchestrator: from the upgrading
 * thread that is EDEADLK; from a session operation it re-enters the gate as a reader and works, but
 * takes locks out of order. No operation walks a list to find a session or a token: both are hashed.
 *
 * <h2>Where luo4j differs from its seeds, and why</h2>
 * <ul>
 *   <li>Limits: sessions, files per session (default 1,000,000, not 128), image size, state per
 *       entry, FLBs and descriptors each have a configured cap ({@link io.luo4j.Limits}).</li>
 *   <li>Freeze's data is cleared by unfreeze, and the file returns to the data preserve gave it
 *       (the oldest seed zeroed it, which left unpreserve and a second upgrade without it).</li>
 *   <li>A file preserved twice is EBUSY, and a failed retrieve is sticky (the newer kernels; the
 *       seed luo_file.c allowed the first and retried the second).</li>
 *   <li>The incoming FLB user count is loaded on first touch, so a file finished before anyone asked
 *       for the FLB still counts down to its finish.</li>
 *   <li>A duplicate session name is rejected before anything grows; a failed close of an incoming
 *       session throws and leaves it open to try again (the kernel's release fails unheard and keeps
 *       the session until the next reboot).</li>
 *   <li>A handler or an FLB that lacks a required callback does not compile (the kernel refuses it
 *       at registration, EINVAL); registration still checks the compatible string first (EINVAL
 *       before EBUSY, as the kernel checks its arguments first). Handlers and FLBs are told apart by
 *       reference, and a handler may name the identity of its files (the kernel compares file
 *       pointers).</li>
 *   <li>Names are UTF-8 strings, since the image stores them so: a session name or compatible string
 *       without an exact UTF-8 form (an unpaired surrogate) is EINVAL, never written as '?'; the
 *       command layer's CREATE_SESSION with bytes that are not UTF-8 is EINVAL (the kernel takes any
 *       bytes), RETRIEVE_SESSION with them ENOENT.</li>
 *   <li>A finished incoming session leaves its list at once (the seed keeps it there until its
 *       descriptor is released); only its name is kept, as retrieved, until it is closed. A retrieve
 *       answers as the seed's does (EINVAL, then ENOENT after the close), while the listings and
 *       registration's quiescence (the oldest seed's rule) no longer count it: it holds no file.</li>
 *   <li>The command layer ({@link io.luo4j.command}) decodes as the seed's tables do, GET_NAME's
 *       16-byte copy-in included (a 72-byte call with a cleared buffer returns the whole name), but
 *       refuses a read-only argument with EFAULT before the command runs, where the kernel runs it
 *       and fails the copy back.</li>
 *   <li>A callback may throw an Error; the kernel's callbacks return an int (see above).</li>
 * </ul>
 */
package io.luo4j;
