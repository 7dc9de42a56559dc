package io.luo4j.kv;

/** What INFO reports besides the store; {@code snapshotLoadMillis} is 0 unless a cold start loaded a snapshot. */
record ServerInfo(String name, long pid, int port, long generation, int clients, long commands, double snapshotLoadMillis) {}
