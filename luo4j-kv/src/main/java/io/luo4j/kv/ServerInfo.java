package io.luo4j.kv;

/**
 * What INFO reports besides the store; {@code snapshotLoadMillis} is 0 unless a cold start loaded a
 * snapshot. {@code inputBytes} is the heap all clients' half-sent commands hold, {@code inputBudget}
 * its limit, {@code evictedClients} the clients closed over it; {@code acceptPauses} counts the times
 * accepting failed (EMFILE at the descriptor limit) and paused.
 */
record ServerInfo(String name, long pid, int port, long generation, int clients, long commands, double snapshotLoadMillis,
        long inputBytes, long inputBudget, long evictedClients, long acceptPauses) {}
