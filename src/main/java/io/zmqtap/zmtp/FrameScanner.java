package io.zmqtap.zmtp;

import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.ByteBuffer;

/**
 * Finds where one ZMTP 3 message (or one command frame) ends in a buffer of traffic, without
 * copying it: the wire engine forwards the bytes as they are. Pure: no sockets.
 *
 * <p>Usage:
 * <pre>{@code
 * FrameScanner s = new FrameScanner(maxMessage);
 * if (s.scan(in, in.position(), in.limit())) { forward(in, s.start(), s.end()); in.position(s.end()); }
 * else if (s.needed() > in.capacity()) { grow(s.needed()); }
 * }</pre>
 */
public final class FrameScanner {
    /** The largest command frame taken by default: READY metadata and PINGs are small. */
    public static final int DEFAULT_MAX_COMMAND = 64 * 1024;

    private final long maxMessage;
    private final long maxCommand;
    private int start;
    private int end;
    private int frames;
    private long bytes;
    private boolean command;
    private int secondFrame;
    private long needed;

    /** @param maxMessage the largest message (sum of its frames' sizes) a peer may send */
    public FrameScanner(long maxMessage) {
        this(maxMessage, Math.min(maxMessage, DEFAULT_MAX_COMMAND));
    }

    /** @param maxCommand the largest command frame a peer may send (a READY with metadata, a PING) */
    public FrameScanner(long maxMessage, long maxCommand) {
        this.maxMessage = maxMessage;
        this.maxCommand = maxCommand;
    }

    /**
     * Scans from {@code from}: true when a whole message or command frame lies before {@code limit}.
     * When false, {@link #needed()} says how many bytes from {@code from} it needs at least.
     *
     * @throws WireProtocolException when the bytes cannot be ZMTP traffic
     */
    public boolean scan(ByteBuffer b, int from, int limit) throws WireProtocolException {
        start = from;
        frames = 0;
        bytes = 0;
        secondFrame = -1;
        command = false;
        int p = from;
        while (true) {
            if (limit - p < 2) {
                return incomplete(p, 2);
            }
            int flags = b.get(p) & 0xFF;
            if ((flags & ~(ZmtpEncoder.MORE | ZmtpEncoder.LONG | ZmtpEncoder.COMMAND)) != 0) {
                throw new WireProtocolException(String.format("bad frame flags 0x%02x", flags));
            }
            boolean isCommand = (flags & ZmtpEncoder.COMMAND) != 0;
            if (isCommand && frames > 0) {
                throw new WireProtocolException("a command frame inside a multipart message");
            }
            int header;
            long size;
            if ((flags & ZmtpEncoder.LONG) != 0) {
                if (limit - p < 9) {
                    return incomplete(p, 9);
                }
                header = 9;
                size = b.getLong(p + 1);
            } else {
                header = 2;
                size = b.get(p + 1) & 0xFF;
            }
            if (isCommand && (size < 0 || size > maxCommand)) {
                throw new WireProtocolException("a command frame larger than the " + maxCommand + "-byte limit (size "
                        + Long.toUnsignedString(size) + ")");
            }
            // Compared as size > maxMessage - bytes, not bytes + size > maxMessage: after a first frame,
            // a size near 2^63 made the sum wrap negative, pass the check, and leave needed() negative,
            // so the connection stalled with a full buffer instead of being dropped.
            if (size < 0 || size > maxMessage - bytes) {
                boolean huge = size < 0 || bytes + size < 0;
                throw new WireProtocolException("a message larger than the " + maxMessage + "-byte limit ("
                        + (huge ? "size " + Long.toUnsignedString(size) : (bytes + size) + " bytes") + ")");
            }
            // The frames' headers count against the limit too (up to as much again as the bodies):
            // empty frames add nothing to bytes, so a message of endless empty frames passed the
            // check above for ever while the buffer grew to hold it, towards an OutOfMemoryError.
            if (p - from - bytes + header > maxMessage) {
                throw new WireProtocolException("a message of " + (frames + 1) + " frames or more, over the "
                        + maxMessage + "-byte limit");
            }
            if (limit - p - header < size) {
                return incomplete(p, header + size);
            }
            frames++;
            bytes += size;
            p += header + (int) size;
            if (frames == 1) {
                secondFrame = p;
            }
            if (isCommand || (flags & ZmtpEncoder.MORE) == 0) {
                command = isCommand;
                end = p;
                return true;
            }
        }
    }

    private boolean incomplete(int at, long frameNeeds) {
        needed = (at - start) + frameNeeds;
        return false;
    }

    public int start() {
        return start;
    }

    /** Just past the message's last frame. */
    public int end() {
        return end;
    }

    public int frames() {
        return frames;
    }

    /** The message's size: its frames' bodies, without headers. */
    public long bytes() {
        return bytes;
    }

    /** True when the scanned unit is a command frame, not a message. */
    public boolean command() {
        return command;
    }

    /** Where the second frame's header starts (the end, for one frame). */
    public int secondFrame() {
        return secondFrame;
    }

    /** After an incomplete scan: the bytes the unit needs from its start, at least. */
    public long needed() {
        return needed;
    }

    /** Where the body of the frame whose header is at {@code at} starts. */
    public static int bodyAt(ByteBuffer b, int at) {
        return at + ((b.get(at) & ZmtpEncoder.LONG) != 0 ? 9 : 2);
    }

    /** The body size of the frame whose header is at {@code at}. */
    public static int sizeAt(ByteBuffer b, int at) {
        return (b.get(at) & ZmtpEncoder.LONG) != 0 ? (int) b.getLong(at + 1) : b.get(at + 1) & 0xFF;
    }

    /** Thrown when a peer's bytes break ZMTP; the connection is closed. */
    public static final class WireProtocolException extends Exception {
        public WireProtocolException(String message) {
            super(message, null, false, false);
        }
    }
}
