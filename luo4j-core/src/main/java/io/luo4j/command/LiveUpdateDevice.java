package io.luo4j.command;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.LiveUpdateOrchestrator;
import io.luo4j.Session;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The orchestrator as a device node ({@code /dev/liveupdate}): descriptors and size-first commands,
 * the form a control socket speaks.
 *
 * <p>Descriptors: {@link #open()} returns the device descriptor (one holder at a time, EBUSY for a
 * second; the first open deserializes the incoming image, and if that failed this and every later
 * open is EIO, as the kernel's luo_open answers, with the deserialization error as the cause);
 * CREATE_SESSION and RETRIEVE_SESSION return session descriptors; {@link #close(int)} releases
 * either. Closing the device does not touch any session; closing a session descriptor closes the
 * session (for an incoming one: finishes it, if not finished yet, and removes it). The {@code fd}
 * fields of PRESERVE_FD and RETRIEVE_FD are descriptors of the process, resolved through the
 * orchestrator's {@link io.luo4j.FileTable}, which the caller of this device provides.
 *
 * <p>Decoding, in the order of the seed luo_session.c: a number outside the table is EINVAL; the
 * size field, a u32, is read (EFAULT if the buffer cannot hold it); a number in the table whose full
 * code differs is ENOTTY; a session command on the wrong direction of session is EINVAL; a size
 * below the command's minimum is EINVAL; then the argument is copied in ({@link Argument}: non-zero
 * bytes past what this version understands are E2BIG, bytes past the buffer EFAULT, whichever comes
 * first). The command's own checks follow (a session name, GET_NAME's reserved field); a read-only
 * buffer is EFAULT just before the command runs, so a command never takes effect without its reply.
 * Then the command runs, and the reply is written back, no longer than the caller's size.
 *
 * <p>Names are UTF-8: CREATE_SESSION with a name that is not valid UTF-8 is EINVAL (the kernel takes
 * any bytes; luo4j's image stores names as UTF-8), and RETRIEVE_SESSION with one is ENOENT, since no
 * session can have that name.
 */
public final class LiveUpdateDevice {
    /** Most descriptors one device hands out at once. */
    public static final int MAX_DESCRIPTORS = 1 << 20;

    private final LiveUpdateOrchestrator orchestrator;
    private final Map<Integer, Session> sessions = new HashMap<>();
    private int deviceFd = -1;
    private int nextFd = 3;

    /** The device node of {@code orchestrator}; create one per orchestrator. */
    public LiveUpdateDevice(LiveUpdateOrchestrator orchestrator) {
        this.orchestrator = orchestrator;
    }

    /**
     * Opens the device; EBUSY while it is open. Deserializes the incoming image the first time; if
     * that failed, this and every later open is EIO (the deserialization error is the cause), and
     * the device stays closed.
     */
    public synchronized int open() {
        if (deviceFd >= 0) {
            throw new LiveUpdateException(Errno.EBUSY, "the device is already open (descriptor " + deviceFd
                    + "): one agent at a time; close it first");
        }
        try {
            orchestrator.deserialize();
        } catch (LiveUpdateException e) {
            throw new LiveUpdateException(Errno.EIO, "the predecessor's image could not be deserialized (" + e.reason() + ": "
                    + e.detail() + "): the device cannot be used in this process", e);
        }
        deviceFd = allocate();
        return deviceFd;
    }

    /** Closes a device or session descriptor; closing a session descriptor closes the session. */
    public synchronized void close(int fd) {
        if (fd == deviceFd && fd >= 0) {
            deviceFd = -1;
            return;
        }
        Session session = sessions.get(fd);
        if (session == null) {
            throw badDescriptor(fd);
        }
        session.close();
        sessions.remove(fd);
    }

    /**
     * Runs command {@code cmd} on descriptor {@code fd} with argument {@code arg} (read from its
     * position; the reply is written there).
     */
    public void ioctl(int fd, int cmd, ByteBuffer arg) {
        Session session;
        synchronized (this) {
            session = sessions.get(fd);
            if (session == null && (fd != deviceFd || fd < 0)) {
                throw badDescriptor(fd);
            }
        }
        if (session == null) {
            deviceIoctl(cmd, arg);
        } else {
            sessionIoctl(session, cmd, arg);
        }
    }

    private void deviceIoctl(int cmd, ByteBuffer arg) {
        Command command = Command.deviceEntry(cmd & 0xFF);
        if (command == null) {
            throw unknownNumber(cmd, "device");
        }
        Argument argument = decode(command, cmd, arg);
        String name = nameField(argument, command == Command.CREATE_SESSION);
        synchronized (this) {
            ensureRoom();
        }
        argument.requireWritable();
        Session session = command == Command.CREATE_SESSION ? orchestrator.createSession(name) : orchestrator.retrieveSession(name);
        int fd;
        synchronized (this) {
            fd = allocate();
            sessions.put(fd, session);
        }
        argument.struct.putInt(4, fd);
        argument.respond();
    }

    private void sessionIoctl(Session session, int cmd, ByteBuffer arg) {
        Command command = Command.sessionEntry(cmd & 0xFF);
        if (command == null) {
            throw unknownNumber(cmd, "session");
        }
        int size = Argument.sizeOf(arg);
        checkCode(command, cmd);
        boolean wrongDirection = switch (command.target) {
            case INCOMING -> !session.isIncoming();
            case OUTGOING -> session.isIncoming();
            default -> false;
        };
        if (wrongDirection) {
            throw new LiveUpdateException(Errno.EINVAL, command + " applies to " + command.target.name().toLowerCase()
                    + " sessions only, and \"" + session.name() + "\" is " + (session.isIncoming() ? "incoming" : "outgoing"));
        }
        Argument argument = copyIn(command, size, arg);
        ByteBuffer struct = argument.struct;
        if (command == Command.GET_NAME && struct.getInt(4) != 0) {
            throw new LiveUpdateException(Errno.EINVAL, "GET_NAME's reserved field must be 0");
        }
        argument.requireWritable();
        switch (command) {
            case PRESERVE_FD -> session.preserveDescriptor(struct.getLong(8), struct.getInt(4));
            case RETRIEVE_FD -> struct.putInt(4, session.retrieveDescriptor(struct.getLong(8)));
            case FINISH -> session.finish();
            case GET_NAME -> {
                // the reply's name field: the whole name, NUL-terminated, zero-padded (the kernel leaves
                // whatever was there after the NUL)
                byte[] name = session.name().getBytes(StandardCharsets.UTF_8);
                struct.put(8, new byte[Commands.NAME_FIELD]).put(8, name);
            }
            default -> throw new AssertionError(command);
        }
        argument.respond();
    }

    private Argument decode(Command command, int cmd, ByteBuffer arg) {
        int size = Argument.sizeOf(arg);
        checkCode(command, cmd);
        return copyIn(command, size, arg);
    }

    private static void checkCode(Command command, int cmd) {
        if (command.code != cmd) {
            throw new LiveUpdateException(Errno.ENOTTY, String.format("command 0x%x is not a luo4j command (did you mean 0x%x, %s?)",
                    cmd, command.code, command));
        }
    }

    private static Argument copyIn(Command command, int size, ByteBuffer arg) {
        if (Integer.compareUnsigned(size, command.minSize) < 0) {
            throw new LiveUpdateException(Errno.EINVAL, command + " needs an argument of at least " + command.minSize
                    + " bytes; the caller says " + Integer.toUnsignedString(size));
        }
        return Argument.copyIn(arg, size, command);
    }

    /**
     * The NUL-terminated name at offset 8. For CREATE_SESSION it must be 1..63 bytes of UTF-8
     * (EINVAL); for RETRIEVE_SESSION a name that is not UTF-8 is ENOENT: no session has it.
     */
    private static String nameField(Argument argument, boolean validate) {
        ByteBuffer struct = argument.struct;
        int length = 0;
        while (length < Commands.NAME_FIELD && struct.get(8 + length) != 0) {
            length++;
        }
        if (validate && (length == 0 || length == Commands.NAME_FIELD)) {
            throw new LiveUpdateException(Errno.EINVAL, length == 0 ? "the session name is empty"
                    : "the session name has no NUL within " + Commands.NAME_FIELD + " bytes: names are 1..63 bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(struct.slice(8, length)).toString();
        } catch (CharacterCodingException e) {
            throw validate
                    ? new LiveUpdateException(Errno.EINVAL, "the session name is not valid UTF-8: luo4j's session names are UTF-8")
                    : new LiveUpdateException(Errno.ENOENT, "there is no incoming session by that name: it is not valid UTF-8,"
                            + " and every session name is");
        }
    }

    private void ensureRoom() {
        if (sessions.size() + 1 >= MAX_DESCRIPTORS) {
            throw new LiveUpdateException(Errno.EMFILE, MAX_DESCRIPTORS + " descriptors are open on this device: close some");
        }
    }

    private int allocate() {
        return nextFd++;
    }

    private static LiveUpdateException unknownNumber(int cmd, String target) {
        return new LiveUpdateException(Errno.EINVAL, String.format("command number 0x%x is outside the %s command table", cmd & 0xFF, target));
    }

    private static LiveUpdateException badDescriptor(int fd) {
        return new LiveUpdateException(Errno.EBADF, "descriptor " + fd + " is not open on this device");
    }
}
