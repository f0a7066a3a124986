package io.zmqtap.curve;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The ZMTP 3.x bytes the CURVE peers here write: greetings and frames, appended to a buffer.
 *
 * <p>Usage: {@code ZmtpWriter w = new ZmtpWriter(); w.greeting(3, 1, "CURVE", true); w.frame(FrameBuffer.COMMAND, body); w.bytes();}
 */
final class ZmtpWriter {
    private final ByteArrayOutputStream out;

    ZmtpWriter() {
        this(256);
    }

    ZmtpWriter(int size) {
        out = new ByteArrayOutputStream(size);
    }

    /** A 64-byte greeting for {@code mechanism}. */
    ZmtpWriter greeting(int major, int minor, String mechanism, boolean asServer) {
        byte[] g = new byte[FrameBuffer.GREETING_SIZE];
        g[0] = (byte) 0xff;
        g[9] = 0x7f;
        g[10] = (byte) major;
        g[11] = (byte) minor;
        byte[] m = mechanism.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(m, 0, g, 12, m.length);
        g[32] = (byte) (asServer ? 1 : 0);
        out.write(g, 0, g.length);
        return this;
    }

    /** A frame with {@code flags} (MORE, COMMAND; LONG is added when the body needs it). */
    ZmtpWriter frame(int flags, byte[] body) {
        int f = flags & (FrameBuffer.MORE | FrameBuffer.COMMAND);
        if (body.length > 255) {
            out.write(f | FrameBuffer.LONG);
            byte[] size = new byte[8];
            Boxes.putLong(size, 0, body.length);
            out.write(size, 0, 8);
        } else {
            out.write(f);
            out.write(body.length);
        }
        out.write(body, 0, body.length);
        return this;
    }

    ZmtpWriter command(byte[] body) {
        return frame(FrameBuffer.COMMAND, body);
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
