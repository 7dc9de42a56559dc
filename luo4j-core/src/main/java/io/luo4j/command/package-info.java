/**
 * The orchestrator behind a command interface that mirrors the kernel's ioctl uAPI
 * ({@code /dev/liveupdate} and session descriptors): what a control socket speaks.
 *
 * <p>{@link io.luo4j.command.LiveUpdateDevice} is the device node: open it once, create or retrieve
 * sessions through it, and issue PRESERVE_FD, RETRIEVE_FD, FINISH and GET_NAME on the session
 * descriptors it returns. {@link io.luo4j.command.Commands} holds the numbers and builds the
 * arguments. Commands are extensible the kernel's way: each struct starts with its size, a u32; a
 * smaller size than the minimum is EINVAL, unknown trailing bytes must be zero (E2BIG otherwise, or
 * EFAULT if the buffer ends first), and replies never exceed the caller's size, so old callers keep
 * working against newer versions. The argument buffer is the caller's memory: a command whose reply
 * could not be written back (a read-only buffer) is EFAULT and does not run.
 */
package io.luo4j.command;
