/**
 * The Redis serialization protocol (RESP2): {@link io.luo4j.kv.resp.RespParser} (one per
 * connection) takes complete commands from a buffer and leaves a partial one for the next read (so
 * a request half-read at an upgrade completes in the successor), resuming where it stopped; {@link io.luo4j.kv.resp.RespWriter} buffers replies;
 * {@link io.luo4j.kv.resp.RespClient} is a small blocking client for tests, the demo and the
 * benchmarks. A malformed request is a {@link io.luo4j.kv.store.KvError} with Redis's wording.
 */
package io.luo4j.kv.resp;
