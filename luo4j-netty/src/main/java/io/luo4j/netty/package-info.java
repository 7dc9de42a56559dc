/**
 * Live update of a Netty 4.2 server: its listener and every open connection, with the bytes each
 * had read and not answered, handed to the successor process, on the NIO transport or the native
 * epoll one. Start at {@link io.luo4j.netty.NettyLiveUpdate}: the application adds it to its
 * start-up (a few lines, see the README's "Netty" section) and keeps its own
 * {@code ServerBootstrap}, {@code ChannelInitializer} and handlers.
 *
 * <h2>The flow, and the file to read for each step</h2>
 * <ol>
 *   <li><b>Start-up</b> ({@code NettyLiveUpdate.bind}): started cold, the listener is bound as a
 *       JDK channel and preserved; every child the server accepts passes {@code ChildTracker}
 *       (the server pipeline's first handler), which preserves it in a session of its own and puts
 *       {@code InFlight} first in its pipeline, to keep what it has read and not answered.</li>
 *   <li><b>Stop</b> ({@code NettyLiveUpdate.stopTakingWork}): the server stops accepting, each
 *       child on its own event loop stops reading, records its unanswered bytes and flushes
 *       ({@code InFlight.stop}); luo4j then freezes and hands the descriptors over.</li>
 *   <li><b>Take-over</b> ({@code TakeOver}, in the successor's {@code bind}): the listener and the
 *       connections are retrieved and the transport's channels built over them, unregistered.</li>
 *   <li><b>Serve</b> ({@code NettyLiveUpdate.ready}): once the predecessor committed, the server
 *       channel is registered with the application's bootstrap, and every child passes through
 *       the server's pipeline as if just accepted: the application's own {@code ChannelInitializer}
 *       runs on it, and {@code InFlight} fires the carried bytes into the new pipeline first, then
 *       has it preserved again, on its event loop.</li>
 * </ol>
 *
 * <h2>Unhappy paths</h2>
 * A rollback ({@code takeWorkAgain}) turns reads back on: no channel was closed and the bytes
 * recorded are still the pipeline's. A client that reads none of its replies makes the stop fail
 * (EBUSY after {@code DRAIN_LIMIT}), so the upgrade rolls back. A successor that cannot build a
 * channel over a received descriptor fails its take-over (the predecessor rolls back); one whose
 * predecessor rolled back gets ECANCELED from {@code ready} and serves nothing. {@code NettyWarmUp}
 * runs the take-over on throwaway handovers at start-up, so the real one runs compiled code.
 *
 * <h2>Packages</h2>
 * This package is the library; {@code io.luo4j.netty.example} is an HTTP/1.1 service built on it
 * (a counter per path in a memfd), run by {@code luoctl netty-example}.
 */
package io.luo4j.netty;
