/**
 * The handover between a predecessor and its successor: {@link io.luo4j.linux.handover.PredecessorHandover}
 * runs one upgrade from the old process, {@link io.luo4j.linux.handover.SuccessorHandover} the other
 * end, and {@code Message} is what they say to each other over one AF_UNIX SOCK_SEQPACKET
 * connection. The image travels in a sealed memfd ({@code internal.SealedMemfd}); descriptors beside it. The
 * predecessor owns the decision: nothing is committed until the successor said READY, and anything
 * else rolls back.
 */
package io.luo4j.linux.handover;
