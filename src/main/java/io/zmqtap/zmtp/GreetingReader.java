package io.zmqtap.zmtp;

import static io.zmqtap.zmtp.ZmtpProtocol.hex;

import java.nio.charset.StandardCharsets;

/**
 * Reads the start of one direction of a connection and tells which ZMTP version the peer speaks,
 * as libzmq does: a 64-byte ZMTP/3.x greeting, a 12-byte ZMTP/2.0 (or 1.0-behind-a-signature)
 * greeting, or no greeting at all — a ZMTP/1.0 peer that starts with its identity message.
 *
 * <p>Fed any split of the bytes; keeps at most the 64 greeting bytes. Once {@link #greeting()} is
 * set, the rest of the stream is frames: {@link #framing()} says which kind, and for a 1.0 peer
 * without a signature {@link #v1IdentitySize()} is the body size of the identity message whose
 * length and flags this reader has already consumed.
 *
 * <p>Usage:
 * <pre>{@code
 * pos = reader.read(bytes, pos, end);
 * if (reader.greeting() != null) { ... frames start at pos ... }
 * }</pre>
 */
final class GreetingReader {
    /** How the frames after the greeting are laid out. */
    enum Framing {
        /** ZMTP/1.0: length (counting the flags byte), flags, body. */
        V1,
        /** ZMTP/2.0: flags (MORE, LONG), size, body; the first frame is the peer's identity. */
        V2,
        /** ZMTP/3.x: flags (MORE, LONG, COMMAND), size, body. */
        V3
    }

    private enum State {
        /** First 10 bytes: 0xff padding 0x7f, or the start of a ZMTP/1.0 identity message. */
        SIGNATURE,
        /** Byte 10: revision (0 or 1, 12-byte legacy greeting) or major version (3). */
        REVISION,
        /** Byte 11 of a legacy greeting: the socket type. */
        LEGACY_SOCKET_TYPE,
        /** Bytes 11 to 63 of a ZMTP/3 greeting. */
        GREETING,
        /** Greeting read, or the input broke the protocol. */
        DONE
    }

    private final ProtocolFailure failure;
    private final byte[] head = new byte[ZmtpProtocol.GREETING_SIZE];
    private int headLength;
    private State state = State.SIGNATURE;

    private Greeting greeting;
    private Framing framing;
    private String legacySocketType;
    private long v1IdentitySize = -1;
    private int v1IdentityBody;

    GreetingReader(ProtocolFailure failure) {
        this.failure = failure;
    }

    /** Reads greeting bytes from {@code b[pos..end)}; returns the position after the last byte it took. */
    int read(byte[] b, int pos, int end) {
        for (;;) {
            switch (state) {
                case SIGNATURE:
                    pos = signature(b, pos, end);
                    if (state == State.SIGNATURE) {
                        return pos;
                    }
                    break;
                case REVISION:
                    if (pos == end) {
                        return pos;
                    }
                    revision(b[pos++] & 0xff);
                    break;
                case LEGACY_SOCKET_TYPE:
                    if (pos == end) {
                        return pos;
                    }
                    legacyGreeting(b[pos++] & 0xff);
                    break;
                case GREETING:
                    pos = gather(b, pos, end, ZmtpProtocol.GREETING_SIZE);
                    if (headLength < ZmtpProtocol.GREETING_SIZE) {
                        return pos;
                    }
                    v3Greeting();
                    break;
                case DONE:
                default:
                    return pos;
            }
        }
    }

    /** The stream ended at {@code consumed}: reports a failure when that was mid-greeting. */
    void end(long consumed) {
        State at = state;
        state = State.DONE;
        switch (at) {
            case SIGNATURE:
                if (headLength > 0) {
                    failure.endedEarly(consumed, "greeting", "the " + ZmtpProtocol.SIGNATURE_SIZE + "-byte signature",
                            headLength);
                }
                break;
            case REVISION:
                failure.endedEarly(consumed, "greeting", "a version byte", 0);
                break;
            case LEGACY_SOCKET_TYPE:
                failure.endedEarly(consumed, "greeting", "a socket type byte", 0);
                break;
            case GREETING:
                failure.endedEarly(consumed, "greeting", ZmtpProtocol.GREETING_SIZE + " greeting bytes", headLength);
                break;
            default:
                break;
        }
    }

    /** The peer's greeting (synthesised for 2.0 and 1.0), or null until it has been read. */
    Greeting greeting() {
        return greeting;
    }

    Framing framing() {
        return framing;
    }

    /** The socket type a 2.0 or 1.0 greeting named; null for 3.x and for 1.0 without a signature. */
    String legacySocketType() {
        return legacySocketType;
    }

    /** Body size of a 1.0 identity message already begun (no signature), else -1. */
    long v1IdentitySize() {
        return v1IdentitySize;
    }

    /** Stream offset of that identity message's body. */
    int v1IdentityBody() {
        return v1IdentityBody;
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
            v1Identity((head[0] & 0xff) - 1, 2);
            return pos;
        }
        pos = gather(b, pos, end, ZmtpProtocol.SIGNATURE_SIZE);
        if (headLength < ZmtpProtocol.SIGNATURE_SIZE) {
            return pos;
        }
        int last = head[ZmtpProtocol.SIGNATURE_SIZE - 1] & 0xff;
        if (last == ZmtpProtocol.SIGNATURE_END) {
            state = State.REVISION;
        } else if (last == 0 && ZmtpProtocol.readLong(head, 1) > 0) {
            // ZMTP/1.0 identity message over 254 bytes: 0xff, 8-byte length, flags 0x00.
            v1Identity(ZmtpProtocol.readLong(head, 1) - 1, ZmtpProtocol.SIGNATURE_SIZE);
        } else {
            fail(9, "bad greeting signature at offset 9: expected " + hex(ZmtpProtocol.SIGNATURE_END)
                    + ", got " + hex(last));
        }
        return pos;
    }

    private void v1Identity(long size, int bodyOffset) {
        v1IdentitySize = size;
        v1IdentityBody = bodyOffset;
        greeted(Framing.V1, null, new Greeting(1, 0, ZmtpProtocol.NULL, false));
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
            greeted(Framing.V1, type, new Greeting(1, 0, ZmtpProtocol.NULL, false));
        } else {
            greeted(Framing.V2, type, new Greeting(2, 0, ZmtpProtocol.NULL, false));
        }
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
        String mechanism = new String(head, start, length, StandardCharsets.US_ASCII);
        greeted(Framing.V3, null, new Greeting(major, minor, mechanism, asServer == 1));
    }

    private void greeted(Framing framing, String socketType, Greeting greeting) {
        this.framing = framing;
        this.legacySocketType = socketType;
        this.greeting = greeting;
        state = State.DONE;
    }

    private void fail(long at, String message) {
        state = State.DONE;
        failure.fail(at, message);
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
}
