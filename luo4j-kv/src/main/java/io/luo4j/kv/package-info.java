/**
 * The kv example service: a Redis-protocol cache whose data lives in memfds, so gigabytes survive a
 * live update with no copy and no reload. Start reading at {@link io.luo4j.kv.KvService}.
 *
 * <h2>Its life, generation to generation</h2>
 * <ol>
 *   <li><b>Cold start</b> ({@code KvService.run}): warm-up ({@code KvWarmup}: every command and
 *       fifty in-process take-overs, so the real one runs compiled code), then
 *       {@link io.luo4j.linux.LiveUpdate}, a new heap (or the snapshot file's, when configured and
 *       present) and a listener.</li>
 *   <li><b>Serving</b> ({@code KvServer}): one event loop; each accepted connection is preserved
 *       in a session of its own at once, each new heap segment as the heap grows.</li>
 *   <li><b>Upgrade</b>: the loop quiesces between rounds, recording every client's half-read input
 *       and unwritten replies on its {@link io.luo4j.linux.TcpConnection}; the orchestrator freezes
 *       and hands everything over.</li>
 *   <li><b>Take-over</b> ({@code KvTakeOver}): the successor retrieves the heap segments and
 *       attaches to them in place, the listener and every connection; reports ready; answers what
 *       the clients sent during the pause; then finishes the incoming sessions and preserves
 *       everything again for the next upgrade.</li>
 * </ol>
 *
 * <h2>Unhappy paths</h2>
 * A rolled-back upgrade resumes the loop where it paused: no client sees more than the pause. A
 * store that is full answers ENOMEM errors to writes and keeps serving reads. A client that sends
 * a malformed request gets an error and is closed; one that reads nothing while its replies pile
 * up past 256 MiB is closed. SHUTDOWN (and the benchmarks' restarts without luo4j) stops accepting,
 * answers what every client sent, and exits.
 *
 * <p>No client can end the process ({@code KvServer}): at the descriptor limit the loop stops
 * accepting for a moment and serves the clients it has; half-sent commands stay within an input
 * budget ({@code ClientInput}; past it the client holding the most is closed with ENOBUFS); an
 * IOException, an OutOfMemoryError or a bug while serving one connection closes that connection.
 * Such warnings are rate-limited ({@code RateLimitedLog}).
 *
 * <h2>Packages</h2>
 * {@code store}: the off-heap data structures in memfd segments, and the snapshot file;
 * {@code resp}: the Redis protocol; {@code client}: what drives the service from outside (a process
 * launcher, checked client load with latency logs, the demo's data set).
 */
package io.luo4j.kv;
