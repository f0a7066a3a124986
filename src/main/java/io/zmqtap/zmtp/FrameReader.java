package io.zmqtap.zmtp;

import static io.zmqtap.zmtp.ZmtpProtocol.hex;

import java.util.Arrays;

/**
 * Reads the frames after the greeting — ZMTP/3.x and 2.0 framing, or ZMTP/1.0 framing — and hands
 * each whole frame to a {@link MessageAssembler}.
 *
 * <p>Fed any split of the bytes. A frame body is kept up to {@code maxFrame} bytes and the rest
 * skipped while counting, so no announced size makes it allocate more, and a body's array grows
 * with the bytes that come, not with the size announced; command bodies are kept up
 * to {@code max(maxFrame, 64 KiB)} so that the handshake stays readable, and data frames of a
 * CURVE connection up to {@code max(maxFrame, 8)} so that a MESSAGE box can be told by its name.
 *
 * <p>Usage:
 * <pre>{@code
 * reader.start(GreetingReader.Framing.V3);
 * reader.read(bytes, pos, end, base); // base: stream offset of bytes[0]
 * }</pre>
 */
final class FrameReader {
    /**
     * Command bodies are kept up to this many bytes even when maxFrame is smaller: the handshake
     * (READY metadata) must stay readable when a tap keeps only a few bytes of each data frame.
     */
    static final int MIN_COMMAND_KEPT = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];
    private static final int COMMAND_AND_MORE = ZmtpProtocol.FLAG_COMMAND | ZmtpProtocol.FLAG_MORE;
    private static final int SIZE_BYTES = 8;
    /**
     * A body's array is allocated for the bytes that came, up to this much at once, and grows as more
     * come: an announced size costs nothing until its bytes arrive (hundreds of peers announcing
     * 1 MiB frames and sending a byte each held 1 MiB apiece).
     */
    static final int FIRST_BODY_ALLOCATION = 8 * 1024;

    private enum State {
        /** ZMTP/2.0 and 3.x frames. */
        FLAGS,
        SHORT_SIZE,
        LONG_SIZE,
        /** ZMTP/1.0 frames. */
        V1_LENGTH,
        V1_LONG_LENGTH,
        V1_FLAGS,
        /** Body bytes that are kept. */
        BODY,
        /** Body bytes beyond what is kept: counted, dropped. */
        SKIP,
        /** Before start(), and after a protocol error. */
        DONE
    }

    private final MessageAssembler assembler;
    private final ProtocolFailure failure;
    private final int commandBound;
    private int dataBound;

    private State state = State.DONE;
    /** The state that reads the next frame: FLAGS, or V1_LENGTH for ZMTP/1.0. */
    private State frameStart;
    private int validFlags;
    /** Stream offset of index 0 of the array being read (so offset(i) = base + i). */
    private long base;

    /** The 8-byte sizes that arrive split across reads. */
    private final byte[] sizeBytes = new byte[SIZE_BYTES];
    private int sizeLength;

    private int flags;
    private long size;
    private long frameOffset;
    private long bodyOffset;
    private byte[] body;
    private int bodyLength;
    /** Body bytes to keep of this frame: {@code body} grows up to it. */
    private int bodyKeep;
    private long skip;

    FrameReader(MessageAssembler assembler, ProtocolFailure failure, int maxFrame) {
        this.assembler = assembler;
        this.failure = failure;
        this.commandBound = Math.max(maxFrame, MIN_COMMAND_KEPT);
        this.dataBound = maxFrame;
    }

    /** The greeting has been read; frames follow in {@code framing}. */
    void start(GreetingReader.Framing framing, boolean curve) {
        if (curve) {
            dataBound = Math.max(dataBound, MessageAssembler.CURVE_MESSAGE_SIZE);
        }
        switch (framing) {
            case V1:
                frameStart = State.V1_LENGTH;
                break;
            case V2:
                validFlags = ZmtpProtocol.V2_FLAGS;
                frameStart = State.FLAGS;
                break;
            default:
                validFlags = ZmtpProtocol.V3_FLAGS;
                frameStart = State.FLAGS;
        }
        state = frameStart;
    }

    /** A ZMTP/1.0 peer without a signature: its identity message's length and flags are already read. */
    void startBody(long frameSize, long at) {
        frameOffset = 0;
        beginBody(frameSize, at);
    }

    /** Reads frames from {@code b[pos..end)}, where {@code base} is the stream offset of {@code b[0]}. */
    void read(byte[] b, int pos, int end, long base) {
        this.base = base;
        for (;;) {
            switch (state) {
                case FLAGS: {
                    if (pos == end) {
                        return;
                    }
                    int f = b[pos] & 0xff;
                    frameOffset = base + pos;
                    if ((f & ~validFlags) != 0) {
                        fail(frameOffset, "bad frame flags at offset " + frameOffset + ": expected bits "
                                + hex(validFlags) + " only, got " + hex(f));
                        return;
                    }
                    if ((f & COMMAND_AND_MORE) == COMMAND_AND_MORE) {
                        fail(frameOffset, "bad frame flags at offset " + frameOffset
                                + ": expected MORE clear on a command, got " + hex(f));
                        return;
                    }
                    flags = f;
                    pos++;
                    if ((f & ZmtpProtocol.FLAG_LONG) != 0) {
                        state = State.LONG_SIZE;
                        sizeLength = 0;
                        break;
                    }
                    state = State.SHORT_SIZE;
                    if (pos == end || (pos = shortSize(b, pos, end)) < 0) {
                        return;
                    }
                    break;
                }
                case SHORT_SIZE:
                    if (pos == end || (pos = shortSize(b, pos, end)) < 0) {
                        return;
                    }
                    break;
                case LONG_SIZE: {
                    long s;
                    if (sizeLength == 0 && end - pos >= SIZE_BYTES) {
                        s = ZmtpProtocol.readLong(b, pos);
                        pos += SIZE_BYTES;
                    } else {
                        pos = gatherSize(b, pos, end);
                        if (sizeLength < SIZE_BYTES) {
                            return;
                        }
                        s = ZmtpProtocol.readLong(sizeBytes, 0);
                    }
                    if (s < 0) {
                        fail(frameOffset + 1, "frame size " + Long.toUnsignedString(s) + " at offset "
                                + (frameOffset + 1) + " exceeds " + Long.MAX_VALUE + ", the largest size ZMTP allows");
                        return;
                    }
                    beginBody(s, base + pos);
                    break;
                }
                case BODY: {
                    int n = Math.min(bodyKeep - bodyLength, end - pos);
                    if (bodyLength + n > body.length) {
                        grow(bodyLength + n);
                    }
                    System.arraycopy(b, pos, body, bodyLength, n);
                    bodyLength += n;
                    pos += n;
                    if (bodyLength < bodyKeep) {
                        return;
                    }
                    if (skip > 0) {
                        state = State.SKIP;
                    } else if (!frameDone()) {
                        return;
                    }
                    break;
                }
                case SKIP: {
                    int n = (int) Math.min(skip, end - pos);
                    pos += n;
                    skip -= n;
                    if (skip > 0 || !frameDone()) {
                        return;
                    }
                    break;
                }
                case V1_LENGTH: {
                    if (pos == end) {
                        return;
                    }
                    int length = b[pos] & 0xff;
                    frameOffset = base + pos;
                    pos++;
                    if (length == ZmtpProtocol.V1_LONG_LENGTH) {
                        sizeLength = 0;
                        state = State.V1_LONG_LENGTH;
                    } else if (v1Length(length)) {
                        state = State.V1_FLAGS;
                    }
                    break;
                }
                case V1_LONG_LENGTH:
                    pos = gatherSize(b, pos, end);
                    if (sizeLength < SIZE_BYTES) {
                        return;
                    }
                    if (v1Length(ZmtpProtocol.readLong(sizeBytes, 0))) {
                        state = State.V1_FLAGS;
                    }
                    break;
                case V1_FLAGS:
                    if (pos == end) {
                        return;
                    }
                    if (v1Flags(b[pos] & 0xff, base + pos)) {
                        pos++;
                        beginBody(size, base + pos);
                    }
                    break;
                case DONE:
                default:
                    return;
            }
        }
    }

    /** The stream ended at {@code consumed}: reports a failure when that was mid-frame or mid-message. */
    void end(long consumed) {
        State at = state;
        state = State.DONE;
        switch (at) {
            case FLAGS:
            case V1_LENGTH:
                if (assembler.inMessage()) {
                    failure.endedEarly(consumed, "message", "another frame after one flagged MORE", 0);
                }
                break;
            case BODY:
            case SKIP:
                failure.endedEarly(consumed, "frame", size + " body bytes", at == State.BODY ? bodyLength : size - skip);
                break;
            case DONE:
                break;
            default:
                failure.endedEarly(consumed, "frame", "the frame's size and flags", 0);
        }
    }

    /** Takes a ZMTP/1.0 length (which counts the flags byte); false after reporting a bad one. */
    private boolean v1Length(long length) {
        if (length < 1) {
            fail(frameOffset, "bad ZMTP/1.0 frame length at offset " + frameOffset + ": expected 1 or more, got "
                    + Long.toUnsignedString(length));
            return false;
        }
        size = length - 1;
        return true;
    }

    private boolean v1Flags(int f, long at) {
        if ((f & ~ZmtpProtocol.V1_FLAGS) != 0) {
            fail(at, "bad frame flags at offset " + at + ": expected bits " + hex(ZmtpProtocol.V1_FLAGS)
                    + " only, got " + hex(f));
            return false;
        }
        flags = f;
        return true;
    }

    /**
     * Reads the short size at {@code b[pos]}. A frame whose body is all in {@code b} as well (most
     * frames of small messages) is read whole at once, not a state at a time.
     *
     * @return the position after what it read, or -1 when the frame broke the protocol
     */
    private int shortSize(byte[] b, int pos, int end) {
        int n = b[pos] & 0xff;
        if (end - pos > n && n <= bound()) {
            size = n;
            bodyOffset = base + pos + 1;
            body = n == 0 ? EMPTY : Arrays.copyOfRange(b, pos + 1, pos + 1 + n);
            bodyLength = n;
            bodyKeep = n;
            skip = 0;
            return frameDone() ? pos + 1 + n : -1;
        }
        beginBody(n, base + pos + 1);
        return pos + 1;
    }

    /** Body bytes kept of the frame whose flags were just read. */
    private int bound() {
        // Only ZMTP/3.x frames carry the COMMAND flag: flags of other versions were checked without it.
        return (flags & ZmtpProtocol.FLAG_COMMAND) != 0 ? commandBound : dataBound;
    }

    private void beginBody(long frameSize, long at) {
        size = frameSize;
        bodyOffset = at;
        int keep = (int) Math.min(frameSize, bound());
        body = keep == 0 ? EMPTY : new byte[Math.min(keep, FIRST_BODY_ALLOCATION)];
        bodyKeep = keep;
        bodyLength = 0;
        skip = frameSize - keep;
        state = State.BODY;
    }

    /** Makes room for {@code needed} body bytes: at least doubling, never past what is kept. */
    private void grow(int needed) {
        int capacity = (int) Math.min(bodyKeep, Math.max(needed, 2L * body.length));
        body = Arrays.copyOf(body, capacity);
    }

    /** A whole frame has been read: hand it on and read the next; false if it broke the protocol. */
    private boolean frameDone() {
        state = frameStart;
        if (body.length != bodyLength) {
            body = Arrays.copyOf(body, bodyLength); // the frame's array holds its kept bytes exactly
        }
        if (assembler.frame(flags, body, size, bodyOffset)) {
            return true;
        }
        state = State.DONE;
        return false;
    }

    private void fail(long at, String message) {
        state = State.DONE;
        failure.fail(at, message);
    }

    private int gatherSize(byte[] b, int pos, int end) {
        int n = Math.min(SIZE_BYTES - sizeLength, end - pos);
        System.arraycopy(b, pos, sizeBytes, sizeLength, n);
        sizeLength += n;
        return pos + n;
    }
}
