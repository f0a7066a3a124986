package io.zmqtap.zmtp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the ZMTP 3.0 pieces a peer that speaks the protocol itself needs: its greeting, the NULL
 * mechanism's READY command, PONG, and frame headers. Pure: bytes in, bytes out, no sockets.
 *
 * <p>Usage:
 * <pre>{@code
 * out.put(ZmtpEncoder.greeting());                                   // 64 bytes, NULL, 3.0
 * out.put(ZmtpEncoder.ready(Map.of("Socket-Type", "DEALER".getBytes(US_ASCII))));
 * ZmtpEncoder.frameHeader(out, 5, true);                             // a 5-byte frame, more to come
 * out.put("hello".getBytes(US_ASCII));
 * }</pre>
 */
public final class ZmtpEncoder {
    /** Frame flag: more frames of this message follow. */
    public static final int MORE = 0x01;
    /** Frame flag: the size takes 8 bytes. */
    public static final int LONG = 0x02;
    /** Frame flag: a command, not a message frame. */
    public static final int COMMAND = 0x04;
    /** A greeting is always this long (ZMTP 3.x). */
    public static final int GREETING_SIZE = 64;
    /** Its first part, {@code 0xff}, 8 bytes of padding, {@code 0x7f}, which peers send before the rest. */
    public static final int SIGNATURE_SIZE = 10;

    private ZmtpEncoder() {}

    /** A ZMTP 3.0 greeting for the NULL mechanism, as a client (as-server 0). */
    public static byte[] greeting() {
        byte[] g = new byte[GREETING_SIZE];
        g[0] = (byte) 0xFF;
        g[9] = 0x7F;
        g[10] = 3;
        g[11] = 0;
        byte[] mechanism = "NULL".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mechanism, 0, g, 12, mechanism.length);
        return g;
    }

    /** A READY command frame carrying {@code properties} (name to value), in the map's order. */
    public static byte[] ready(Map<String, byte[]> properties) {
        return command("READY", properties);
    }

    /** A PONG command frame answering a PING whose context was {@code context}. */
    public static byte[] pong(byte[] context) {
        byte[] name = "PONG".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer body = ByteBuffer.allocate(1 + name.length + context.length);
        body.put((byte) name.length).put(name).put(context);
        return commandFrame(body.array());
    }

    /** An ERROR command frame with {@code reason} (at most 255 bytes are sent). */
    public static byte[] error(String reason) {
        byte[] name = "ERROR".getBytes(StandardCharsets.US_ASCII);
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, 255);
        ByteBuffer body = ByteBuffer.allocate(1 + name.length + 1 + length);
        body.put((byte) name.length).put(name).put((byte) length).put(text, 0, length);
        return commandFrame(body.array());
    }

    /** Writes a message frame's header: flags and a short or long size. */
    public static void frameHeader(ByteBuffer out, long size, boolean more) {
        int flags = more ? MORE : 0;
        if (size > 255) {
            out.put((byte) (flags | LONG)).putLong(size);
        } else {
            out.put((byte) flags).put((byte) size);
        }
    }

    /** How many bytes {@link #frameHeader} writes for a frame of {@code size}. */
    public static int headerSize(long size) {
        return size > 255 ? 9 : 2;
    }

    private static byte[] command(String name, Map<String, byte[]> properties) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        int size = 1 + n.length;
        for (Map.Entry<String, byte[]> p : properties.entrySet()) {
            size += 1 + p.getKey().length() + 4 + p.getValue().length;
        }
        ByteBuffer body = ByteBuffer.allocate(size);
        body.put((byte) n.length).put(n);
        for (Map.Entry<String, byte[]> p : properties.entrySet()) {
            byte[] key = p.getKey().getBytes(StandardCharsets.US_ASCII);
            body.put((byte) key.length).put(key).putInt(p.getValue().length).put(p.getValue());
        }
        return commandFrame(body.array());
    }

    private static byte[] commandFrame(byte[] body) {
        ByteBuffer frame = ByteBuffer.allocate(headerSize(body.length) + body.length);
        if (body.length > 255) {
            frame.put((byte) (COMMAND | LONG)).putLong(body.length);
        } else {
            frame.put((byte) COMMAND).put((byte) body.length);
        }
        return frame.put(body).array();
    }
}
