package io.luo4j.linux.handover;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.Libc;
import io.luo4j.linux.internal.PeerCredentials;
import io.luo4j.linux.internal.SeqpacketSocket;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The successor as a process, seen from the predecessor: the part of an upgrade that is about
 * starting, checking and, on a rollback, stopping it. What the two processes then say to each
 * other is {@link HandoverConversation}.
 *
 * <p>Happy path: {@link #start} runs the successor's command line with the handover socket's path,
 * a one-time nonce and this process's pid in its environment, while the service keeps serving;
 * {@link #awaitConnection()} accepts its connection and checks it (the peer runs under this uid, is
 * the successor or a descendant of it, and presents the nonce) and hands back the conversation.
 *
 * <p>Unhappy paths: the command cannot be started (ENOENT); the successor exits before it connects
 * (ESRCH, with its exit status) or does not connect in time (ETIMEDOUT); the peer is someone else
 * (EACCES). On any of these, and on any later rollback, {@link #stop()} kills the successor and its
 * descendants. While the conversation runs, {@link #check} is its watch: the successor's exit and
 * the deadline end it.
 */
public final class SuccessorProcess implements HandoverConversation.Watch, AutoCloseable {
    static final String SOCKET_VARIABLE = "LUO4J_HANDOVER_SOCKET";
    static final String NONCE_VARIABLE = "LUO4J_HANDOVER_NONCE";
    static final String PREDECESSOR_VARIABLE = "LUO4J_PREDECESSOR_PID";
    private static final System.Logger LOG = System.getLogger("io.luo4j.linux.handover");
    private static final int SLICE_MILLIS = 50;

    private final Process process;
    private final SeqpacketSocket listener;
    private final Path socketPath;
    private final byte[] nonce;
    private final Duration timeout;
    private final long deadline;
    private final ServiceIdentity expected;

    private SuccessorProcess(Process process, SeqpacketSocket listener, Path socketPath, byte[] nonce, Duration timeout, long deadline,
            ServiceIdentity expected) {
        this.process = process;
        this.listener = listener;
        this.socketPath = socketPath;
        this.nonce = nonce;
        this.timeout = timeout;
        this.deadline = deadline;
        this.expected = expected;
    }

    /**
     * Who a successor must say it is: the service's name and the application's identity (its
     * port, its memory size, ...: whatever makes two instances different services).
     */
    public record ServiceIdentity(String name, String identity) {}

    /**
     * Starts {@code command} as this service's successor; its handover socket lives in
     * {@code workDirectory} (private, 0700). {@code timeout} bounds everything from now until the
     * successor is ready.
     *
     * @throws LiveUpdateException ENOENT when the command cannot be started
     */
    public static SuccessorProcess start(List<String> command, Map<String, String> environment, Duration timeout,
            Path workDirectory, ServiceIdentity expected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        Path socketPath = workDirectory.resolve(socketName(ProcessHandle.current().pid(), nonce));
        SeqpacketSocket listener = SeqpacketSocket.listen(socketPath);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(environment);
        builder.environment().put(SOCKET_VARIABLE, socketPath.toString());
        builder.environment().put(NONCE_VARIABLE, HexFormat.of().formatHex(nonce));
        builder.environment().put(PREDECESSOR_VARIABLE, Long.toString(ProcessHandle.current().pid()));
        try {
            Process process = builder.start();
            LOG.log(Level.DEBUG, "successor command line: " + String.join(" ", command));
            return new SuccessorProcess(process, listener, socketPath, nonce, timeout, deadline, expected);
        } catch (IOException e) {
            listener.close();
            deleteQuietly(socketPath);
            throw new LiveUpdateException(Errno.ENOENT, "cannot start the successor " + command + ": " + e.getMessage(), e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits for the successor to connect, checks who it is, and returns the conversation with it.
     * The socket file is removed then: nobody else can connect.
     *
     * @throws LiveUpdateException ESRCH it exited first; ETIMEDOUT too late; EACCES not the successor
     */
    public HandoverConversation awaitConnection() {
        try {
            while (true) {
                check("before connecting");
                SeqpacketSocket peer = listener.accept(HandoverConversation.slice(deadline, SLICE_MILLIS));
                if (peer == null) {
                    continue;
                }
                try {
                    HandoverConversation conversation = new HandoverConversation(peer, this, deadline);
                    verify(peer, conversation);
                    return conversation;
                } catch (LiveUpdateException e) {
                    peer.close();
                    throw e;
                }
            }
        } finally {
            listener.close();
            deleteQuietly(socketPath);
        }
    }

    private void verify(SeqpacketSocket peer, HandoverConversation conversation) {
        PeerCredentials credentials = peer.peer();
        if (credentials.uid() != Libc.getuid()) {
            throw new LiveUpdateException(Errno.EACCES, "the handover socket was reached by uid " + credentials.uid()
                    + ", not this service's uid " + Libc.getuid() + ": refused");
        }
        if (!isSuccessorOrDescendant(credentials.pid())) {
            throw new LiveUpdateException(Errno.EACCES, "the handover socket was reached by pid " + credentials.pid()
                    + ", which is not the successor (pid " + process.pid() + "): refused");
        }
        HandoverConversation.Hello hello = conversation.awaitHello();
        if (!MessageDigest.isEqual(hello.nonce(), nonce)) {
            throw new LiveUpdateException(Errno.EACCES, "the successor did not present the handover nonce: refused");
        }
        if (!hello.name().equals(expected.name()) || !hello.identity().equals(expected.identity())) {
            throw new LiveUpdateException(Errno.EINVAL, "the successor is service \"" + hello.name() + "\" (" + hello.identity()
                    + ") but this is service \"" + expected.name() + "\" (" + expected.identity() + "): a successor must be the same"
                    + " service; check the --exec command's name, port and memory");
        }
    }

    /** A handover socket's file name: the predecessor's pid first, so a stale one can be told from a live one. */
    private static String socketName(long predecessorPid, byte[] nonce) {
        return "handover-" + predecessorPid + "-" + HexFormat.of().formatHex(nonce, 0, 6) + ".sock";
    }

    /**
     * Removes handover socket files in {@code directory} left by predecessors that died mid-upgrade
     * (their pid no longer names a live process); live ones are left alone.
     */
    public static void removeStaleSockets(Path directory) {
        try (var files = Files.newDirectoryStream(directory, "handover-*.sock")) {
            for (Path file : files) {
                String[] parts = file.getFileName().toString().split("-");
                long pid;
                try {
                    pid = Long.parseLong(parts[1]);
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    continue; // not one of ours
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                deleteQuietly(file);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "cannot look for stale handover sockets in " + directory + ": " + e);
        }
    }

    private boolean isSuccessorOrDescendant(long pid) {
        Optional<ProcessHandle> candidate = ProcessHandle.of(pid);
        for (int depth = 0; depth < 8 && candidate.isPresent(); depth++) {
            if (candidate.get().pid() == process.pid()) {
                return true;
            }
            candidate = candidate.get().parent();
        }
        return false;
    }

    /**
     * The watch of the conversation: ESRCH once the successor has exited, ETIMEDOUT past the
     * deadline. (The successor is this process's child: the JDK reaps it, so its exit is seen.)
     */
    @Override
    public void check(String when) {
        if (!process.isAlive()) {
            throw new LiveUpdateException(Errno.ESRCH, "the successor exited " + when + exitStatus());
        }
        if (System.nanoTime() > deadline) {
            throw new LiveUpdateException(Errno.ETIMEDOUT, "the successor was not ready within " + timeout.toSeconds()
                    + " s: raise --timeout if it needs longer to start");
        }
    }

    /** A watch that ends a wait only when the successor has exited (ESRCH): for after the commit. */
    public HandoverConversation.Watch alive() {
        return new HandoverConversation.Watch() {
            @Override
            public void check(String when) {
                if (!process.isAlive()) {
                    throw new LiveUpdateException(Errno.ESRCH, "the successor exited " + when + exitStatus());
                }
            }

            @Override
            public String exitStatus() {
                return SuccessorProcess.this.exitStatus();
            }
        };
    }

    @Override
    public String exitStatus() {
        try {
            return process.waitFor(200, TimeUnit.MILLISECONDS) ? " (exit status " + process.exitValue() + ")" : "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Kills the successor and every process it started; waits (up to 10 s) until it is gone. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the listening socket if the successor never connected; the process is left as it is. */
    @Override
    public void close() {
        listener.close();
        deleteQuietly(socketPath);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover socket file in the private directory is harmless
        }
    }
}
