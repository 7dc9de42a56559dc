package io.luo4j.kv;

/** What INFO reports besides the store. */
record ServerInfo(String name, long pid, int port, long generation, int clients, long commands) {}
