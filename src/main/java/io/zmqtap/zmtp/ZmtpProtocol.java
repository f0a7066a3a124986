package io.zmqtap.zmtp;

/**
 * ZMTP wire constants, all in one place.
 *
 * <pre>
 * ZMTP/3.x greeting (RFC 23, RFC 37), 64 bytes:
 *
 *   offset 0    1 .. 8     9     10      11      12 .. 31          32         33 .. 63
 *        +----+---------+----+-------+-------+-----------------+-----------+----------+
 *        | ff | padding | 7f | major | minor | mechanism       | as-server | filler   |
 *        |    | 8 bytes |    |  03   | 00/01 | "NULL" + zeros  |   00/01   | 31 zeros |
 *        +----+---------+----+-------+-------+-----------------+-----------+----------+
 *   libzmq writes identity-length + 1 into the padding so that ZMTP/1.0 peers read the first ten
 *   bytes as the length of an identity message; it sends the greeting as 10, 1 and 53 bytes.
 *
 * ZMTP/2.0 greeting (RFC 15), 12 bytes: signature (as above), revision 01, socket type (0..10),
 * then an identity frame in 2.0 framing. Revision 00 is libzmq's name for 1.0 behind a
 * signature: same 12 bytes, then 1.0 framing.
 *
 * ZMTP/3.x and 2.0 frame:
 *
 *   +-------+----------------------------+------------------+
 *   | flags | size: 1 byte, or 8 bytes   | body: size bytes |
 *   |       | big-endian when LONG is set|                  |
 *   +-------+----------------------------+------------------+
 *   flags: MORE 0x01, LONG 0x02, COMMAND 0x04 (3.x only); every other bit must be zero.
 *
 *   command body: name-length (1) | name | data
 *   READY / INITIATE data, repeated: name-length (1) | name | value-length (4, BE) | value
 *   PING data: ttl (2, BE, tenths of a second) | context (0..16)     PONG data: context
 *   PLAIN HELLO data: username-length (1) | username | password-length (1) | password
 *
 * ZMTP/1.0 frame (no greeting; the first message is the identity):
 *
 *   +-----------------------------------+-------+------------------------+
 *   | length: 1 byte (00..fe), or ff    | flags | body: length - 1 bytes |
 *   | followed by 8 bytes big-endian    | 00/01 |                        |
 *   +-----------------------------------+-------+------------------------+
 *   length counts the flags byte; flags: MORE 0x01.
 * </pre>
 */
final class ZmtpProtocol {
    private ZmtpProtocol() {}

    static final int SIGNATURE_START = 0xff;
    static final int SIGNATURE_END = 0x7f;
    static final int SIGNATURE_SIZE = 10;
    static final int REVISION_OFFSET = 10;
    static final int V2_GREETING_SIZE = 12;
    static final int GREETING_SIZE = 64;
    static final int MINOR_OFFSET = 11;
    static final int MECHANISM_OFFSET = 12;
    static final int MECHANISM_SIZE = 20;
    static final int AS_SERVER_OFFSET = 32;

    /** Revision byte of a 12-byte legacy greeting that announces 1.0 framing. */
    static final int REVISION_V1 = 0;
    /** Revision byte of a ZMTP/2.0 greeting. */
    static final int REVISION_V2 = 1;
    /** Lowest major version that uses the 64-byte greeting. */
    static final int MAJOR_V3 = 3;

    static final int FLAG_MORE = 0x01;
    static final int FLAG_LONG = 0x02;
    static final int FLAG_COMMAND = 0x04;
    static final int V3_FLAGS = FLAG_MORE | FLAG_LONG | FLAG_COMMAND;
    static final int V2_FLAGS = FLAG_MORE | FLAG_LONG;
    static final int V1_FLAGS = FLAG_MORE;
    /** A ZMTP/1.0 length byte announcing an 8-byte length. */
    static final int V1_LONG_LENGTH = 0xff;

    /** First byte of a subscription data frame (ZMTP 3.0 and earlier); 0x00 cancels. */
    static final int SUBSCRIBE_BYTE = 0x01;
    static final int CANCEL_BYTE = 0x00;

    static final String NULL = "NULL";
    static final String PLAIN = "PLAIN";
    static final String CURVE = "CURVE";

    static final String SOCKET_TYPE = "Socket-Type";
    static final String IDENTITY = "Identity";

    /** Socket types by their ZMTP/2.0 greeting number. */
    private static final String[] V2_SOCKET_TYPES = {
        "PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB", "STREAM"
    };

    /** "REQ" for 3, or "TYPE-42" for a number no socket type has. */
    static String v2SocketType(int number) {
        return number < V2_SOCKET_TYPES.length ? V2_SOCKET_TYPES[number] : "TYPE-" + number;
    }

    /** True for socket types whose data frames starting 0x01/0x00 are subscriptions. */
    static boolean isSubscriber(String socketType) {
        return "SUB".equalsIgnoreCase(socketType) || "XSUB".equalsIgnoreCase(socketType);
    }

    /** Commands whose payload CURVE encrypts (or that carry keys): reported, not decoded. */
    static boolean isCurveCommand(String name) {
        switch (name) {
            case "HELLO":
            case "WELCOME":
            case "INITIATE":
            case "READY":
            case "MESSAGE":
                return true;
            default:
                return false;
        }
    }

    /** The 8-byte big-endian number at {@code b[at]}. */
    static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }

    static String hex(int b) {
        return String.format("0x%02x", b & 0xff);
    }
}
