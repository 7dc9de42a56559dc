/**
 * Not API. The system calls luo4j needs, through the FFM API ({@link io.luo4j.linux.internal.Libc});
 * the handover socket ({@link io.luo4j.linux.internal.SeqpacketSocket}); and the bridge between
 * descriptors and the JDK's own channel classes ({@link io.luo4j.linux.internal.JdkChannels}).
 * Every failure is a {@link io.luo4j.LiveUpdateException} whose reason is the errno.
 */
package io.luo4j.linux.internal;
