/**
 * The kv store, entirely off-heap in memfd segments ({@link io.luo4j.kv.store.SegmentHeap}): a
 * size-class allocator whose state lives in the first page, a chunked open-addressing hash index
 * ({@code HashIndex}) rooted in the heap, and values (strings inline, lists, packed sets, hashes and
 * sorted sets). Nothing points into the Java heap, so a successor that maps the same segments
 * {@linkplain io.luo4j.kv.store.KvStore#attach attaches} and finds every key where it was.
 *
 * <p>{@link io.luo4j.kv.store.HeapSnapshot} writes the same bytes to a file and reads them back: how
 * the data survives a restart without luo4j, and the baseline the benchmarks compare the handover
 * with. Errors a client must see are {@link io.luo4j.kv.store.KvError}s; running out of memory is a
 * {@link io.luo4j.LiveUpdateException} with ENOMEM, a value over 32 MiB one with E2BIG.
 */
package io.luo4j.kv.store;
