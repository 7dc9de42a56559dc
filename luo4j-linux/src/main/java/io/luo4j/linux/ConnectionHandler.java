package io.luo4j.linux;

import io.luo4j.linux.internal.JdkChannels;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;

/**
 * {@code tcp-connection-v1}: an established TCP connection, a {@link TcpConnection} (with its
 * unread bytes) or a plain {@link SocketChannel}, travels as its descriptor and comes back as the
 * same type, over the JDK's own SocketChannel. State: remote address, whether it was a
 * TcpConnection, and its unread and unwritten bytes as of freeze.
 */
final class ConnectionHandler extends DescriptorHandler {
    static final String COMPATIBLE = "tcp-connection-v1";

    ConnectionHandler() {
        super(COMPATIBLE);
    }

    private record State(boolean wrapped, SocketAddress remote, byte[] unread, byte[] unwritten) {}

    /** A connected TCP {@link SocketChannel}, bare or in a {@link TcpConnection}. */
    @Override
    public boolean canPreserve(Object file) {
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
        return JdkChannels.fdOf(channelOf(file));
    }

    @Override
    byte[] stateOf(Object file, int reference) {
        SocketChannel channel = channelOf(file);
        byte[] unread = file instanceof TcpConnection connection ? connection.unreadBytes() : new byte[0];
        byte[] unwritten = file instanceof TcpConnection connection ? connection.unwrittenBytes() : new byte[0];
        return HandlerState.write(out -> {
            out.writeBoolean(file instanceof TcpConnection);
            HandlerState.writeAddress(out, remoteAddress(channel));
            writeBytes(out, unread);
            writeBytes(out, unwritten);
        });
    }

    @Override
    Object rebuild(int fd, byte[] data) {
        State state = HandlerState.read(data, COMPATIBLE,
                in -> new State(in.readBoolean(), HandlerState.readAddress(in), readBytes(in), readBytes(in)));
        SocketChannel channel = JdkChannels.socket(fd, ListenerHandler.familyOf(fd), state.remote());
        return state.wrapped() ? TcpConnection.of(channel, state.unread(), state.unwritten()) : channel;
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("byte count " + length + " with " + in.available() + " bytes left");
        }
        return in.readNBytes(length);
    }

    private static SocketChannel channelOf(Object file) {
        if (file instanceof TcpConnection connection) {
            return connection.channel();
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
