package io.luo4j.command;

/**
 * The dispatch tables, as in the seed luo_session.c: each command's code, the size of the struct it
 * copies in (the kernel's {@code size}), the smallest size a caller may pass (the end of its last
 * mandatory field), the size of the reply it writes back and the kind of descriptor it applies to.
 *
 * <p>GET_NAME is decoded as the seed's table sizes it, with the RETRIEVE_FD struct: 16 bytes copied
 * in and a minimum of 16, while its reply is its own 72-byte struct. So a caller of size 16 gets 8
 * bytes of the name, one of size 72 the whole name, and bytes 16..71 of its argument must be zero
 * (E2BIG otherwise): the name buffer is cleared before the call.
 */
enum Command {
    CREATE_SESSION(Commands.CREATE_SESSION, 72, 72, 72, Target.DEVICE),
    RETRIEVE_SESSION(Commands.RETRIEVE_SESSION, 72, 72, 72, Target.DEVICE),
    PRESERVE_FD(Commands.PRESERVE_FD, 16, 16, 16, Target.OUTGOING),
    RETRIEVE_FD(Commands.RETRIEVE_FD, 16, 16, 16, Target.INCOMING),
    FINISH(Commands.FINISH, 8, 8, 8, Target.INCOMING),
    GET_NAME(Commands.GET_NAME, 16, 16, 72, Target.ANY_SESSION);

    /** What kind of descriptor a command is issued on. */
    enum Target { DEVICE, OUTGOING, INCOMING, ANY_SESSION }

    private static final Command[] DEVICE_TABLE = {CREATE_SESSION, RETRIEVE_SESSION};
    private static final Command[] SESSION_TABLE = {PRESERVE_FD, RETRIEVE_FD, FINISH, GET_NAME};

    final int code;
    /** Bytes copied in: more from the caller must be zero, fewer read as zero. */
    final int size;
    final int minSize;
    /** Bytes of the reply; the caller gets no more than its own size of them. */
    final int replySize;
    final Target target;

    Command(int code, int size, int minSize, int replySize, Target target) {
        this.code = code;
        this.size = size;
        this.minSize = minSize;
        this.replySize = replySize;
        this.target = target;
    }

    /** The device table's entry for number {@code nr}, or null when it is outside the table. */
    static Command deviceEntry(int nr) {
        return entry(DEVICE_TABLE, nr - Commands.DEVICE_BASE);
    }

    /** The session table's entry for number {@code nr}, or null when it is outside the table. */
    static Command sessionEntry(int nr) {
        return entry(SESSION_TABLE, nr - Commands.SESSION_BASE);
    }

    private static Command entry(Command[] table, int index) {
        return index >= 0 && index < table.length ? table[index] : null;
    }
}
