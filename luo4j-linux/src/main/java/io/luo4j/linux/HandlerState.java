package io.luo4j.linux;

import io.luo4j.Errno;
import io.luo4j.LiveUpdateException;
import io.luo4j.linux.internal.ByteCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * The serialized state of the built-in handlers: a version byte, then the fields each handler
 * writes ({@link ByteCodec}). A state this build cannot read is EBADMSG in retrieve.
 */
final class HandlerState {
    private static final int VERSION = 1;

    private HandlerState() {}

    static byte[] write(ByteCodec.Writer writer) {
        return ByteCodec.encode(VERSION, writer, "handler state");
    }

    static <T> T read(byte[] data, String what, ByteCodec.Reader<T> reader) {
        int version = ByteCodec.tag(data, Errno.EBADMSG, what + " state");
        if (version != VERSION) {
            throw new LiveUpdateException(Errno.EBADMSG, what + " state has version " + version + ", this luo4j reads " + VERSION);
        }
        return ByteCodec.decode(data, reader, Errno.EBADMSG, what + " state");
    }
    static void writeAddress(DataOutputStream out, SocketAddress address) throws IOException {
        if (address instanceof InetSocketAddress inet) {
            byte[] host = inet.getAddress().getAddress();
            out.writeByte(host.length);
            out.write(host);
            out.writeShort(inet.getPort());
        } else if (address instanceof UnixDomainSocketAddress unix) {
            out.writeByte(0);
            out.writeUTF(unix.getPath().toString());
        } else {
            out.writeByte(255);
        }
    }

    static SocketAddress readAddress(DataInputStream in) throws IOException {
        int length = in.readUnsignedByte();
        if (length == 0) {
            return UnixDomainSocketAddress.of(in.readUTF());
        }
        if (length == 255) {
            return null;
        }
        if (length != 4 && length != 16) {
            throw new IOException("address of " + length + " bytes");
        }
        byte[] host = in.readNBytes(length);
        return new InetSocketAddress(InetAddress.getByAddress(host), in.readUnsignedShort());
    }
}
