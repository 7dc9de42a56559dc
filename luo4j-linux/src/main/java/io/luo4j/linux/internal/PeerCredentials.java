package io.luo4j.linux.internal;

/** The process at the other end of a Unix socket, as SO_PEERCRED reports it at connect time. */
public record PeerCredentials(int pid, int uid, int gid) {}
