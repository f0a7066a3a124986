package io.zmqtap.curve;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts one direction of a ZMTP 3.x stream into its greeting and frames, fed in chunks split
 * anywhere. Holds at most one frame (plus a chunk's worth beyond it while it is being cut): a
 * frame that announces more than {@code maxFrame} bytes is refused before any of it is buffered.
 * Pure: bytes in, frames out.
 *
 * <p>Usage:
 * <pre>{@code
 * FrameBuffer in = new FrameBuffer(16 << 20);
 * in.feed(chunk);
 * Greeting g = in.greeting();                  // null until its 64 bytes are in
 * for (FrameBuffer.Frame f; (f = in.next()) != null; ) { ... }   // throws CurveException
 * }</pre>
 */
public final class FrameBuffer {
    /** A ZMTP 3.x greeting's parts that matter here. */
    public record Greeting(int major, int minor, String mechanism, boolean asServer) {}

    /** A frame: its ZMTP flags (MORE 0x01, COMMAND 0x04) and its body. */
    public record Frame(int flags, byte[] body) {
        public boolean command() {
            return (flags & COMMAND) != 0;
        }

        public boolean more() {
            return (flags & MORE) != 0;
        }
    }

    public static final int GREETING_SIZE = 64;
    public static final int MORE = 0x01;
    public static final int LONG = 0x02;
    public static final int COMMAND = 0x04;

    private int maxFrame;
    private byte[] buf = new byte[0];
    private int start;
    private int end;
    private Greeting greeting;

    /** @param maxFrame the largest frame body accepted, in bytes */
    public FrameBuffer(int maxFrame) {
        this.maxFrame = maxFrame;
    }

    /** Changes the largest frame accepted from the next frame on (e.g. small during a handshake, then larger). */
    public void maxFrame(int bytes) {
        this.maxFrame = bytes;
    }

    /** Takes all of {@code chunk}'s remaining bytes. */
    public void feed(ByteBuffer chunk) {
        int n = chunk.remaining();
        if (n == 0) {
            return;
        }
        if (start == end) {
            start = 0;
            end = 0;
        }
        if (buf.length - end < n) {
            int live = end - start;
            // doubling, so that a large frame arriving in many chunks is copied O(size) times in all
            byte[] next = live + n <= buf.length ? buf : new byte[(int) Math.max(live + n,
                    Math.min(Math.max(4096L, 2L * buf.length), maxFrame + 9L + n))];
            System.arraycopy(buf, start, next, 0, live);
            buf = next;
            start = 0;
            end = live;
        }
        chunk.get(buf, end, n);
        end += n;
    }

    /** The peer's greeting, once its 64 bytes are in (then the frames follow); null before. */
    public Greeting greeting() throws CurveException {
        if (greeting == null && end - start >= GREETING_SIZE) {
            if ((buf[start] & 0xff) != 0xff || buf[start + 9] != 0x7f) {
                throw new CurveException(CurveException.Kind.MALFORMED, "no ZMTP greeting (bad signature)");
            }
            int major = buf[start + 10] & 0xff;
            if (major < 3) {
                throw new CurveException(CurveException.Kind.MALFORMED,
                        "a ZMTP " + major + ".x peer, which cannot speak CURVE");
            }
            int len = 0;
            while (len < 20 && buf[start + 12 + len] != 0) {
                len++;
            }
            String mechanism = new String(buf, start + 12, len, StandardCharsets.US_ASCII);
            greeting = new Greeting(major, buf[start + 11] & 0xff, mechanism, buf[start + 32] == 1);
            start += GREETING_SIZE;
        }
        return greeting;
    }

    /** The next whole frame, or null until its bytes are in. Call after the greeting. */
    public Frame next() throws CurveException {
        if (greeting == null) {
            throw new IllegalStateException("frames come after the greeting");
        }
        int avail = end - start;
        if (avail < 2) {
            return null;
        }
        int flags = buf[start] & 0xff;
        if ((flags & ~(MORE | LONG | COMMAND)) != 0) {
            throw new CurveException(CurveException.Kind.MALFORMED, "bad frame flags 0x" + Integer.toHexString(flags));
        }
        int header = (flags & LONG) != 0 ? 9 : 2;
        if (avail < header) {
            return null;
        }
        long size = header == 9 ? Boxes.getLong(buf, start + 1) : buf[start + 1] & 0xff;
        if (size < 0 || size > maxFrame) {
            throw new CurveException(CurveException.Kind.TOO_LARGE, "a frame of " + Long.toUnsignedString(size)
                    + " bytes, more than the " + maxFrame + " allowed");
        }
        if (avail < header + size) {
            return null;
        }
        byte[] body = Arrays.copyOfRange(buf, start + header, start + header + (int) size);
        start += header + (int) size;
        if (start == end && buf.length > 64 * 1024) {
            buf = new byte[0]; // an idle connection keeps no large buffer
            start = 0;
            end = 0;
        }
        return new Frame(flags & (MORE | COMMAND), body);
    }

    /** Bytes fed and not yet taken as greeting or frames. */
    public int buffered() {
        return end - start;
    }
}
