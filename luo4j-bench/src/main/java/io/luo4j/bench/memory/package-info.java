/**
 * Memory overhead: {@link io.luo4j.bench.memory.MemoryBench} reads the Java heap in use after full
 * collections around creating sessions and preserving files (the core workload, then real memfds
 * with the built-in handler), against the same structure as HashMaps.
 */
package io.luo4j.bench.memory;
