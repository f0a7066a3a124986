package io.zmqtap.curve;

import java.nio.charset.StandardCharsets;

/**
 * CurveZMQ's commands as ZMTP 3.x carries them (RFC 26, RFC 23; libzmq 4.3 as the reference),
 * all in one place. Each is the body of a ZMTP command frame: name-length, name, data.
 *
 * <pre>
 * C = client long-term key, C' = client short-term key, S / S' = the server's, Box[x](A-&gt;B)
 * = crypto_box of x from A's secret key to B's public key (16-byte MAC, then ciphertext).
 *
 * HELLO     200 bytes  \x05HELLO | version 01 00 | 72 zero bytes | C' (32) | short nonce (8)
 *                      | Box[64 zero bytes](C'-&gt;S) (80)                nonce "CurveZMQHELLO---"
 * WELCOME   168 bytes  \x07WELCOME | long nonce (16) | Box[S' + cookie](S-&gt;C') (144)   "WELCOME-"
 *                      cookie = long nonce (16) | SecretBox[C' + s'](cookie key) (80)  "COOKIE--"
 * INITIATE  &gt;= 257    \x08INITIATE | cookie (96) | short nonce (8)
 *                      | Box[C + vouch nonce (16) + vouch (80) + metadata](C'-&gt;S')  "CurveZMQINITIATE"
 *                      vouch = Box[C' + S](C-&gt;S')                                     "VOUCH---"
 * READY     &gt;= 30     \x05READY | short nonce (8) | Box[metadata](S'-&gt;C')           "CurveZMQREADY---"
 * ERROR               \x05ERROR | reason-length (1) | reason (plaintext, e.g. "400")
 * MESSAGE   &gt;= 33     \x07MESSAGE | short nonce (8) | Box[flags (1) + body](C'-&gt;S' or S'-&gt;C')
 *                      nonce "CurveZMQMESSAGEC" from the client, "CurveZMQMESSAGES" from the server;
 *                      flags: 0x01 MORE, 0x02 COMMAND (ZMTP 3.1 sends PING, SUBSCRIBE... this way).
 *                      libzmq 4.3 sends it as a data frame (flags 0x00), not a command frame.
 * Short nonces count up from 1 on each side over the whole connection (HELLO 1, INITIATE 2,
 * then MESSAGEs; READY 1, then MESSAGEs): a box whose nonce is not above the last is refused.
 * </pre>
 */
final class CurveProtocol {
    private CurveProtocol() {}

    static final String HELLO = "HELLO";
    static final String WELCOME = "WELCOME";
    static final String INITIATE = "INITIATE";
    static final String READY = "READY";
    static final String ERROR = "ERROR";
    static final String MESSAGE = "MESSAGE";

    static final int HELLO_SIZE = 200;
    static final int WELCOME_SIZE = 168;
    static final int INITIATE_MIN_SIZE = 257;
    static final int READY_MIN_SIZE = 30;
    static final int COOKIE_SIZE = 96;
    static final int VOUCH_SIZE = 80;

    static final String HELLO_NONCE = "CurveZMQHELLO---";
    static final String WELCOME_NONCE = "WELCOME-";
    static final String COOKIE_NONCE = "COOKIE--";
    static final String INITIATE_NONCE = "CurveZMQINITIATE";
    static final String VOUCH_NONCE = "VOUCH---";
    static final String READY_NONCE = "CurveZMQREADY---";
    static final String CLIENT_MESSAGE_NONCE = "CurveZMQMESSAGEC";
    static final String SERVER_MESSAGE_NONCE = "CurveZMQMESSAGES";

    /** Plaintext flags inside a MESSAGE box. */
    static final int BOX_MORE = 0x01;
    static final int BOX_COMMAND = 0x02;

    /** True when {@code body} (from {@code off}, {@code len} bytes) is the command {@code name}. */
    static boolean is(byte[] body, int off, int len, String name) {
        int n = name.length();
        if (len < 1 + n || (body[off] & 0xff) != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (body[off + 1 + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The command name of a body, for messages: {@code READY}, or {@code ?} when it has none. */
    static String name(byte[] body) {
        if (body.length < 1 || body.length < 1 + (body[0] & 0xff)) {
            return "?";
        }
        return new String(body, 1, body[0] & 0xff, StandardCharsets.US_ASCII);
    }

    /** A new body starting with the command name; the rest (of {@code size}) is zeros to fill in. */
    static byte[] start(String name, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) name.length();
        for (int i = 0; i < name.length(); i++) {
            b[1 + i] = (byte) name.charAt(i);
        }
        return b;
    }

    /** An ERROR command body with {@code reason} (at most 255 bytes of it). */
    static byte[] error(String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(text.length, 255);
        byte[] b = start(ERROR, 1 + ERROR.length() + 1 + n);
        b[1 + ERROR.length()] = (byte) n;
        System.arraycopy(text, 0, b, 2 + ERROR.length(), n);
        return b;
    }

    /** The reason an ERROR body carries, or a description of a malformed one. */
    static String errorReason(byte[] body) {
        int at = 1 + ERROR.length();
        if (body.length < at + 1) {
            return "(no reason)";
        }
        int n = Math.min(body[at] & 0xff, body.length - at - 1);
        return new String(body, at + 1, n, StandardCharsets.UTF_8);
    }
}
