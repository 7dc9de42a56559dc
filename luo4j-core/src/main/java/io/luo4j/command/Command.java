package io.luo4j.command;

/**
 * The dispatch tables: each command's code, its kernel-side struct size, the smallest size a caller
 * may pass (the end of its last mandatory field) and the kind of descriptor it applies to.
 *
 * <p>GET_NAME is sized with its own struct (72 bytes), so the whole name comes back; the seed's
 * table sized it with the RETRIEVE_FD struct and cut the name to 8 bytes.
 */
enum Command {
    CREATE_SESSION(Commands.CREATE_SESSION, 72, 72, Target.DEVICE),
    RETRIEVE_SESSION(Commands.RETRIEVE_SESSION, 72, 72, Target.DEVICE),
    PRESERVE_FD(Commands.PRESERVE_FD, 16, 16, Target.OUTGOING),
    RETRIEVE_FD(Commands.RETRIEVE_FD, 16, 16, Target.INCOMING),
    FINISH(Commands.FINISH, 8, 8, Target.INCOMING),
    GET_NAME(Commands.GET_NAME, 72, 72, Target.ANY_SESSION);

    /** What kind of descriptor a command is issued on. */
    enum Target { DEVICE, OUTGOING, INCOMING, ANY_SESSION }

    private static final Command[] DEVICE_TABLE = {CREATE_SESSION, RETRIEVE_SESSION};
    private static final Command[] SESSION_TABLE = {PRESERVE_FD, RETRIEVE_FD, FINISH, GET_NAME};

    final int code;
    final int size;
    final int minSize;
    final Target target;

    Command(int code, int size, int minSize, Target target) {
        this.code = code;
        this.size = size;
        this.minSize = minSize;
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
