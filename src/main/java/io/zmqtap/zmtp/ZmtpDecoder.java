package io.zmqtap.zmtp;

import static io.zmqtap.zmtp.ZmtpProtocol.hex;

import io.zmqtap.capture.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Incremental ZMTP decoder for ONE direction of one TCP connection. No I/O, no JeroMQ imports.
 *
 * <p>Feed it the bytes one peer sends, split anywhere; it reports the greeting, each command and
 * each complete multipart message to a {@link ZmtpListener}. It understands ZMTP/3.1, 3.0, 2.0
 * and 1.0 (the version is read from the greeting, as libzmq does). A frame body is kept up to
 * {@code maxFrame} bytes; the rest is skipped while counting, so no announced size, however
 * large, makes it allocate more (command frames, which must stay readable, are kept up to
 * {@code max(maxFrame, 64 KiB)}). On input that breaks the protocol it reports exactly one
 * {@link ProtocolError} and ignores (but counts) everything after: no input makes it throw.
 * Exceptions thrown by the listener propagate to the caller of {@code feed}. Not thread-safe:
 * one decoder per direction, fed by one thread at a time.
 *
 * <p>Usage:
 * <pre>{@code
 * ZmtpDecoder decoder = new ZmtpDecoder(listener);
 * while ((n = in.read(buf)) > 0) {
 *     decoder.feed(buf, 0, n);
 * }
 * decoder.end();
 * }</pre>
 */
public final class ZmtpDecoder {
    public static final int DEFAULT_MAX_FRAME = 1 << 20;

    private static final byte[] EMPTY = new byte[0];
    private static final int SCRATCH_SIZE = 64 * 1024;
    /**
     * Command bodies are kept up to this many bytes even when maxFrame is smaller: the handshake
     * (READY metadata) must stay readable when a tap keeps only a few bytes of each data frame.
     */
    static final int MIN_COMMAND_KEPT = 64 * 1024;
    private static final int COMMAND_AND_MORE = ZmtpProtocol.FLAG_COMMAND | ZmtpProtocol.FLAG_MORE;

    private enum State {
        /** First 10 bytes: 0xff padding 0x7f, or the start of a ZMTP/1.0 identity message. */
        SIGNATURE,
        /** Byte 10: revision (0 or 1, 12-byte legacy greeting) or major version (3). */
        REVISION,
        /** Byte 11 of a legacy greeting: the socket type. */
        LEGACY_SOCKET_TYPE,
        /** Bytes 11 to 63 of a ZMTP/3 greeting. */
        GREETING,
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
        /** Body bytes beyond maxFrame: counted, dropped. */
        SKIP,
        /** After a protocol error or end(): input is counted, not decoded. */
        DONE
    }

    private final ZmtpListener listener;
    private final int maxFrame;

    private State state = State.SIGNATURE;
    /** Stream offset of index 0 of the array being decoded (so offset(i) = base + i). */
    private long base;
    private long consumed;
    private boolean failed;

    /** Greeting bytes, and the 8-byte sizes that arrive split across reads. */
    private final byte[] head = new byte[ZmtpProtocol.GREETING_SIZE];
    private int headLength;

    private Greeting greeting;
    private int validFlags;
    private boolean v1;
    private boolean curve;
    private String mechanism = ZmtpProtocol.NULL;
    /** ZMTP/1.0 and 2.0 send the peer's identity as the first frame; 3.x in READY. */
    private boolean identityFrameNext;
    private String legacySocketType;
    private boolean subscriber;

    private int flags;
    private long size;
    private long frameOffset;
    private long bodyOffset;
    private byte[] body;
    private int bodyLength;
    private long skip;
    private List<Frame> parts = new ArrayList<>();
    private byte[] scratch;

    public ZmtpDecoder(ZmtpListener listener) {
        this(listener, DEFAULT_MAX_FRAME);
    }

    /** @param maxFrame body bytes kept per frame; larger frames are truncated, their true size reported */
    public ZmtpDecoder(ZmtpListener listener, int maxFrame) {
        if (maxFrame < 0) {
            throw new IllegalArgumentException("maxFrame " + maxFrame + " < 0");
        }
        this.listener = listener;
        this.maxFrame = maxFrame;
    }

    /** Decodes all remaining bytes; the buffer's position moves to its limit. */
    public void feed(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (bytes.hasArray()) {
            feed(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
            bytes.position(bytes.limit());
            return;
        }
        if (scratch == null) {
            scratch = new byte[SCRATCH_SIZE];
        }
        while (bytes.hasRemaining()) {
            int chunk = Math.min(bytes.remaining(), scratch.length);
            bytes.get(scratch, 0, chunk);
            feed(scratch, 0, chunk);
        }
    }

    /** Decodes {@code length} bytes of {@code bytes} starting at {@code offset}. */
    public void feed(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException(
                    "offset " + offset + ", length " + length + " outside an array of " + bytes.length);
        }
        if (state != State.DONE) {
            base = consumed - offset;
            decode(bytes, offset, offset + length);
        }
        consumed += length;
    }

    /** The stream closed: reports a ProtocolError when it closed mid-greeting, mid-frame or mid-message. */
    public void end() {
        State at = state;
        if (at == State.DONE) {
            return;
        }
        state = State.DONE;
        switch (at) {
            case SIGNATURE:
                if (headLength > 0) {
                    endedEarly("greeting", "the " + ZmtpProtocol.SIGNATURE_SIZE + "-byte signature", headLength);
                }
                break;
            case REVISION:
                endedEarly("greeting", "a version byte", 0);
                break;
            case LEGACY_SOCKET_TYPE:
                endedEarly("greeting", "a socket type byte", 0);
                break;
            case GREETING:
                endedEarly("greeting", ZmtpProtocol.GREETING_SIZE + " greeting bytes", headLength);
                break;
            case FLAGS:
            case V1_LENGTH:
                if (!parts.isEmpty()) {
                    endedEarly("message", "another frame after one flagged MORE", 0);
                }
                break;
            case BODY:
            case SKIP:
                endedEarly("frame", size + " body bytes", at == State.BODY ? bodyLength : size - skip);
                break;
            default:
                endedEarly("frame", "the frame's size and flags", 0);
        }
    }

    /** Bytes consumed so far (every fed byte counts, decoded or not). */
    public long offset() {
        return consumed;
    }

    /** True after a protocol error; later input is counted, not decoded. */
    public boolean failed() {
        return failed;
    }

    /** The peer's greeting, or null until it has been decoded. */
    public Greeting greeting() {
        return greeting;
    }

    private void decode(byte[] b, int pos, int end) {
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
                    if ((f & ZmtpProtocol.FLAG_LONG) == 0) {
                        state = State.SHORT_SIZE;
                    } else {
                        state = State.LONG_SIZE;
                        headLength = 0;
                    }
                    break;
                }
                case SHORT_SIZE:
                    if (pos == end) {
                        return;
                    }
                    beginBody(b[pos] & 0xff, base + pos + 1);
                    pos++;
                    break;
                case LONG_SIZE: {
                    long s;
                    if (headLength == 0 && end - pos >= 8) {
                        s = readLong(b, pos);
                        pos += 8;
                    } else {
                        pos = gather(b, pos, end, 8);
                        if (headLength < 8) {
                            return;
                        }
                        s = readLong(head, 0);
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
                    int n = Math.min(body.length - bodyLength, end - pos);
                    System.arraycopy(b, pos, body, bodyLength, n);
                    bodyLength += n;
                    pos += n;
                    if (bodyLength < body.length) {
                        return;
                    }
                    if (skip > 0) {
                        state = State.SKIP;
                    } else {
                        frameDone();
                    }
                    break;
                }
                case SKIP: {
                    int n = (int) Math.min(skip, end - pos);
                    pos += n;
                    skip -= n;
                    if (skip > 0) {
                        return;
                    }
                    frameDone();
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
                        headLength = 0;
                        state = State.V1_LONG_LENGTH;
                    } else if (v1Length(length)) {
                        state = State.V1_FLAGS;
                    }
                    break;
                }
                case V1_LONG_LENGTH:
                    pos = gather(b, pos, end, 8);
                    if (headLength < 8) {
                        return;
                    }
                    if (v1Length(readLong(head, 0))) {
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
                case SIGNATURE:
                    pos = signature(b, pos, end);
                    if (state == State.SIGNATURE) {
                        return;
                    }
                    break;
                case REVISION:
                    if (pos == end) {
                        return;
                    }
                    revision(b[pos++] & 0xff);
                    break;
                case LEGACY_SOCKET_TYPE:
                    if (pos == end) {
                        return;
                    }
                    legacyGreeting(b[pos++] & 0xff);
                    break;
                case GREETING:
                    pos = gather(b, pos, end, ZmtpProtocol.GREETING_SIZE);
                    if (headLength < ZmtpProtocol.GREETING_SIZE) {
                        return;
                    }
                    v3Greeting();
                    break;
                case DONE:
                default:
                    return;
            }
        }
    }

    /** Reads the first bytes: a 10-byte signature, or a ZMTP/1.0 peer's identity message. */
    private int signature(byte[] b, int pos, int end) {
        pos = gather(b, pos, end, 1);
        if (headLength == 0) {
            return pos;
        }
        if ((head[0] & 0xff) != ZmtpProtocol.SIGNATURE_START) {
            // A ZMTP/1.0 peer starts with its identity message: short length, flags 0x00.
            pos = gather(b, pos, end, 2);
            if (headLength < 2) {
                return pos;
            }
            if (head[0] == 0 || head[1] != 0) {
                fail(0, "bad greeting signature at offset 0: expected " + hex(ZmtpProtocol.SIGNATURE_START)
                        + ", got " + hex(head[0]));
                return pos;
            }
            startV1(null);
            frameOffset = 0;
            size = (head[0] & 0xff) - 1;
            beginBody(size, 2);
            return pos;
        }
        pos = gather(b, pos, end, ZmtpProtocol.SIGNATURE_SIZE);
        if (headLength < ZmtpProtocol.SIGNATURE_SIZE) {
            return pos;
        }
        int last = head[ZmtpProtocol.SIGNATURE_SIZE - 1] & 0xff;
        if (last == ZmtpProtocol.SIGNATURE_END) {
            state = State.REVISION;
        } else if (last == 0 && readLong(head, 1) > 0) {
            // ZMTP/1.0 identity message over 254 bytes: 0xff, 8-byte length, flags 0x00.
            startV1(null);
            frameOffset = 0;
            size = readLong(head, 1) - 1;
            beginBody(size, ZmtpProtocol.SIGNATURE_SIZE);
        } else {
            fail(9, "bad greeting signature at offset 9: expected " + hex(ZmtpProtocol.SIGNATURE_END)
                    + ", got " + hex(last));
        }
        return pos;
    }

    private void revision(int revision) {
        if (revision == ZmtpProtocol.REVISION_V1 || revision == ZmtpProtocol.REVISION_V2) {
            head[ZmtpProtocol.REVISION_OFFSET] = (byte) revision;
            state = State.LEGACY_SOCKET_TYPE;
        } else if (revision >= ZmtpProtocol.MAJOR_V3) {
            head[ZmtpProtocol.REVISION_OFFSET] = (byte) revision;
            headLength = ZmtpProtocol.REVISION_OFFSET + 1;
            state = State.GREETING;
        } else {
            fail(10, "bad greeting version at offset 10: expected 0x00, 0x01 or 0x03 and up, got " + hex(revision));
        }
    }

    private void legacyGreeting(int socketType) {
        String type = ZmtpProtocol.v2SocketType(socketType);
        if (head[ZmtpProtocol.REVISION_OFFSET] == ZmtpProtocol.REVISION_V1) {
            startV1(type);
        } else {
            validFlags = ZmtpProtocol.V2_FLAGS;
            legacySocketType = type;
            identityFrameNext = true;
            subscriber = ZmtpProtocol.isSubscriber(type);
            greeted(new Greeting(2, 0, ZmtpProtocol.NULL, false));
            state = State.FLAGS;
        }
    }

    private void startV1(String socketType) {
        v1 = true;
        legacySocketType = socketType;
        identityFrameNext = true;
        subscriber = ZmtpProtocol.isSubscriber(socketType);
        greeted(new Greeting(1, 0, ZmtpProtocol.NULL, false));
        state = State.V1_LENGTH;
    }

    private void v3Greeting() {
        int major = head[ZmtpProtocol.REVISION_OFFSET] & 0xff;
        int minor = head[ZmtpProtocol.MINOR_OFFSET] & 0xff;
        int start = ZmtpProtocol.MECHANISM_OFFSET;
        int length = 0;
        while (length < ZmtpProtocol.MECHANISM_SIZE && head[start + length] != 0) {
            int c = head[start + length];
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
                    || c == '+';
            if (!ok) {
                fail(start + length, "bad greeting mechanism at offset " + (start + length)
                        + ": expected A-Z, 0-9, '-', '_', '.', '+' or zero padding, got " + hex(c));
                return;
            }
            length++;
        }
        for (int i = start + length; i < start + ZmtpProtocol.MECHANISM_SIZE; i++) {
            if (head[i] != 0) {
                fail(i, "bad greeting mechanism padding at offset " + i + ": expected 0x00, got " + hex(head[i]));
                return;
            }
        }
        if (length == 0) {
            fail(start, "bad greeting mechanism at offset " + start + ": expected a name, got zero padding");
            return;
        }
        int asServer = head[ZmtpProtocol.AS_SERVER_OFFSET] & 0xff;
        if (asServer > 1) {
            fail(ZmtpProtocol.AS_SERVER_OFFSET, "bad greeting as-server flag at offset " + ZmtpProtocol.AS_SERVER_OFFSET
                    + ": expected 0x00 or 0x01, got " + hex(asServer));
            return;
        }
        mechanism = new String(head, start, length, StandardCharsets.US_ASCII);
        curve = ZmtpProtocol.CURVE.equals(mechanism);
        validFlags = ZmtpProtocol.V3_FLAGS;
        greeted(new Greeting(major, minor, mechanism, asServer == 1));
        state = State.FLAGS;
    }

    private void greeted(Greeting g) {
        greeting = g;
        listener.greeting(g);
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

    private void beginBody(long frameSize, long at) {
        size = frameSize;
        bodyOffset = at;
        int bound = (flags & ZmtpProtocol.FLAG_COMMAND) != 0 && !v1 ? Math.max(maxFrame, MIN_COMMAND_KEPT) : maxFrame;
        int keep = (int) Math.min(frameSize, bound);
        body = keep == 0 ? EMPTY : new byte[keep];
        bodyLength = 0;
        skip = frameSize - keep;
        state = State.BODY;
    }

    /** A whole frame has been read: report it (or add it to the message) and read the next. */
    private void frameDone() {
        state = v1 ? State.V1_LENGTH : State.FLAGS;
        if (!v1 && (flags & ZmtpProtocol.FLAG_COMMAND) != 0) {
            command();
            return;
        }
        Frame frame = new Frame(body, size);
        if (identityFrameNext) {
            identityFrameNext = false;
            identity(frame);
            return;
        }
        boolean more = (flags & ZmtpProtocol.FLAG_MORE) != 0;
        if (more) {
            parts.add(frame);
        } else if (parts.isEmpty()) {
            if (!subscription(frame)) {
                listener.message(List.of(frame));
            }
        } else {
            parts.add(frame);
            List<Frame> message = Collections.unmodifiableList(parts);
            parts = new ArrayList<>();
            listener.message(message);
        }
    }

    /** The identity frame of a ZMTP/1.0 or 2.0 peer, reported as the READY a 3.x peer would send. */
    private void identity(Frame frame) {
        Map<String, byte[]> properties = new LinkedHashMap<>();
        if (legacySocketType != null) {
            properties.put(ZmtpProtocol.SOCKET_TYPE, legacySocketType.getBytes(StandardCharsets.US_ASCII));
        }
        properties.put(ZmtpProtocol.IDENTITY, frame.data());
        listener.command(new ZmtpCommand.Ready(properties));
    }

    /** A single data frame from a SUB/XSUB peer that starts 0x01 or 0x00 (ZMTP 3.0 and earlier). */
    private boolean subscription(Frame frame) {
        if (!subscriber || body.length == 0) {
            return false;
        }
        int first = body[0];
        if (first != ZmtpProtocol.SUBSCRIBE_BYTE && first != ZmtpProtocol.CANCEL_BYTE) {
            return false;
        }
        byte[] topic = Arrays.copyOfRange(body, 1, body.length);
        listener.command(first == ZmtpProtocol.SUBSCRIBE_BYTE
                ? new ZmtpCommand.Subscribe(topic, true)
                : new ZmtpCommand.Cancel(topic, true));
        return true;
    }

    private void command() {
        ZmtpCommand command;
        try {
            command = CommandReader.read(body, size, mechanism);
        } catch (CommandReader.MalformedCommand e) {
            long at = bodyOffset + e.at;
            fail(at, e.what + " at offset " + at + ": " + e.detail);
            return;
        }
        String socketType = null;
        if (command instanceof ZmtpCommand.Ready r) {
            socketType = r.socketType();
        } else if (command instanceof ZmtpCommand.Initiate i) {
            socketType = i.socketType();
        }
        if (socketType != null) {
            subscriber = ZmtpProtocol.isSubscriber(socketType);
        }
        listener.command(command);
    }

    private void endedEarly(String what, String expected, long got) {
        String gotText = got == 0 ? "end of stream" : got + " of them";
        fail(consumed, "stream ended mid-" + what + " at offset " + consumed + ": expected " + expected
                + ", got " + gotText);
    }

    private void fail(long at, String message) {
        state = State.DONE;
        failed = true;
        listener.protocolError(new ProtocolError(at, message));
    }

    private int gather(byte[] b, int pos, int end, int want) {
        int n = Math.min(want - headLength, end - pos);
        if (n <= 0) {
            return pos;
        }
        System.arraycopy(b, pos, head, headLength, n);
        headLength += n;
        return pos + n;
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }
}
