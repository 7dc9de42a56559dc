package io.luo4j.linux;

import io.luo4j.linux.internal.JdkChannels;
import io.luo4j.linux.internal.Libc;
import io.luo4j.linux.internal.SealedMemfd;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * {@code tcp-connection-v1}: an established TCP connection, a {@link TcpConnection} (with its
 * unread bytes) or a plain {@link SocketChannel}, travels as its descriptor and comes back as the
 * same type: over the JDK's own SocketChannel, or, for a TcpConnection over a raw descriptor
 * ({@link TcpConnection#ofDescriptor}), over the received raw descriptor for the successor's
 * library to adopt. State: the form (byte 0: a bare SocketChannel, 1: a TcpConnection over one,
 * 2: a TcpConnection over a raw descriptor; images of the first two forms wrote the same byte as a
 * boolean), the remote address (JDK forms only: the JDK channel is rebuilt with it), and the
 * unread and unwritten bytes as of freeze.
 *
 * <p>Bytes in flight travel in the image while they are small; past {@value #INLINE_LIMIT} bytes
 * (a half-sent large command, replies a slow client has not read) they travel in a sealed memfd
 * beside the connection's descriptor, so one client with megabytes in flight neither swells the
 * image nor blocks the upgrade (an image entry is capped). The state then records their lengths
 * (an unread length of -1 marks it), and the successor reads them from the memfd and closes it.
 */
final class ConnectionHandler extends DescriptorHandler {
    static final String COMPATIBLE = "tcp-connection-v1";
    /** Bytes in flight up to this many travel in the image; more travel in a memfd beside it. */
    static final int INLINE_LIMIT = 64 * 1024;
    private static final int BESIDE = -1;

    ConnectionHandler() {
        super(COMPATIBLE);
    }

    private static final int BARE = 0;
    private static final int WRAPPED = 1;
    private static final int RAW = 2;

    private record State(int form, SocketAddress remote, byte[] unread, byte[] unwritten) {}

    /**
     * A connected TCP {@link SocketChannel}, bare or in a {@link TcpConnection}, or an open
     * TcpConnection over a raw descriptor (checked to be a connected TCP socket when it was made).
     */
    @Override
    public boolean canPreserve(Object file) {
        if (file instanceof TcpConnection connection && connection.isRawDescriptor()) {
            return connection.isOpen();
        }
        SocketChannel channel = channelOf(file);
        try {
            return channel != null && channel.isOpen() && channel.isConnected()
                    && channel.getRemoteAddress() instanceof InetSocketAddress;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    int descriptorOf(Object file) {
        if (file instanceof TcpConnection connection) {
            return connection.descriptor();
        }
        return JdkChannels.fdOf((SocketChannel) file);
    }

    /** At preserve: who the connection is; its bytes in flight are recorded at freeze. */
    @Override
    byte[] stateOf(Object file, int reference) {
        return inline(file, new byte[0], new byte[0]);
    }

    /** At freeze: who the connection is and its bytes in flight, in the image or, when large, beside it. */
    @Override
    Frozen frozenStateOf(Object file, int reference) {
        byte[] unread = file instanceof TcpConnection connection ? connection.unreadBytes() : new byte[0];
        byte[] unwritten = file instanceof TcpConnection connection ? connection.unwrittenBytes() : new byte[0];
        if ((long) unread.length + unwritten.length <= INLINE_LIMIT) {
            return new Frozen(inline(file, unread, unwritten), Frozen.NONE);
        }
        ByteBuffer both = ByteBuffer.allocate(unread.length + unwritten.length).put(unread).put(unwritten).flip();
        int memfd = SealedMemfd.write("luo4j-connection-bytes", both);
        try {
            return new Frozen(HandlerState.write(out -> {
                writeIdentity(out, file);
                out.writeInt(BESIDE);
                out.writeInt(unread.length);
                out.writeInt(unwritten.length);
            }), new int[] {memfd});
        } catch (RuntimeException e) {
            Libc.close(memfd);
            throw e;
        }
    }

    private static byte[] inline(Object file, byte[] unread, byte[] unwritten) {
        return HandlerState.write(out -> {
            writeIdentity(out, file);
            writeBytes(out, unread);
            writeBytes(out, unwritten);
        });
    }

    /** The form (a bare channel, a TcpConnection over one, over a raw descriptor) and, for the JDK forms, the remote address. */
    private static void writeIdentity(DataOutputStream out, Object file) throws IOException {
        int form = !(file instanceof TcpConnection connection) ? BARE : connection.isRawDescriptor() ? RAW : WRAPPED;
        out.writeByte(form);
        if (form != RAW) {
            HandlerState.writeAddress(out, remoteAddress(channelOf(file)));
        }
    }

    @Override
    Object rebuild(int fd, byte[] data) {
        return rebuild(fd, data, Frozen.NONE);
    }

    @Override
    Object rebuild(int fd, byte[] data, int[] beside) {
        State state = HandlerState.read(data, COMPATIBLE, in -> {
            int form = in.readUnsignedByte();
            if (form > RAW) {
                throw new IOException("unknown connection form " + form);
            }
            SocketAddress remote = form == RAW ? null : HandlerState.readAddress(in);
            int first = in.readInt();
            if (first != BESIDE) {
                return new State(form, remote, readBytes(in, first), readBytes(in, in.readInt()));
            }
            int unread = in.readInt();
            int unwritten = in.readInt();
            if (unread < 0 || unwritten < 0 || beside.length != 1) {
                throw new IOException("bytes in flight announced beside the connection (" + unread + " + " + unwritten
                        + ") with " + beside.length + " memfds");
            }
            byte[] both = SealedMemfd.read(beside[0], (long) unread + unwritten);
            return new State(form, remote, Arrays.copyOfRange(both, 0, unread), Arrays.copyOfRange(both, unread, both.length));
        });
        for (int memfd : beside) {
            Libc.close(memfd); // read: the bytes are in the state now
        }
        if (state.form() == RAW) {
            return TcpConnection.ofDescriptor(fd, state.unread(), state.unwritten());
        }
        SocketChannel channel = JdkChannels.socket(fd, ListenerHandler.familyOf(fd), state.remote());
        return state.form() == WRAPPED ? TcpConnection.of(channel, state.unread(), state.unwritten()) : channel;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in, int length) throws IOException {
        if (length < 0 || length > in.available()) {
            throw new IOException("byte count " + length + " with " + in.available() + " bytes left");
        }
        return in.readNBytes(length);
    }

    /** The JDK channel of a bare channel or a TcpConnection over one; null otherwise. */
    private static SocketChannel channelOf(Object file) {
        if (file instanceof TcpConnection connection) {
            return connection.isRawDescriptor() ? null : connection.channel();
        }
        return file instanceof SocketChannel channel ? channel : null;
    }

    private static SocketAddress remoteAddress(SocketChannel channel) {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
