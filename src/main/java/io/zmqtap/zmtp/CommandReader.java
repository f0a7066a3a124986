package io.zmqtap.zmtp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes the body of one ZMTP command frame into a {@link ZmtpCommand}.
 *
 * <p>When the decoder kept only the first bytes of a large command ({@code truncated}), running
 * out of bytes is not an error: the reader returns what it could decode (the complete properties
 * of a READY, the kept part of a topic) or an {@link ZmtpCommand.Unknown} with the true size.
 *
 * <p>Usage: {@code ZmtpCommand c = CommandReader.read(body, body.length, "NULL"); }
 */
final class CommandReader {
    private final byte[] data;
    private final boolean truncated;
    private int pos;

    private CommandReader(byte[] data, long size) {
        this.data = data;
        this.truncated = size > data.length;
    }

    /** Thrown for a command that is malformed (not merely cut short by the decoder's bound). */
    static final class MalformedCommand extends Exception {
        final int at;
        final String what;
        final String detail;

        MalformedCommand(int at, String what, String detail) {
            super(what + ": " + detail, null, false, false);
            this.at = at;
            this.what = what;
            this.detail = detail;
        }
    }

    /**
     * @param body the kept bytes of the command frame's body
     * @param size the frame's true size
     * @param mechanism the greeting's security mechanism, which decides how HELLO etc. read
     */
    static ZmtpCommand read(byte[] body, long size, String mechanism) throws MalformedCommand {
        return new CommandReader(body, size).read(size, mechanism);
    }

    private ZmtpCommand read(long size, String mechanism) throws MalformedCommand {
        if (data.length == 0 && size == 0) {
            throw new MalformedCommand(0, "empty command frame", "expected a command name, got 0 bytes");
        }
        if (data.length == 0) {
            return new ZmtpCommand.Unknown("?", clamp(size));
        }
        int nameLength = u8("command name length");
        if (nameLength == 0) {
            throw new MalformedCommand(0, "bad command name length", "expected 1 to 255, got 0");
        }
        if (truncated && data.length - pos < nameLength) {
            return new ZmtpCommand.Unknown("?", clamp(size));
        }
        String name = ascii(nameLength, "command name");
        long dataSize = size - 1 - nameLength;
        if (ZmtpProtocol.CURVE.equals(mechanism) && ZmtpProtocol.isCurveCommand(name)) {
            return new ZmtpCommand.CurveCommand(name, clamp(dataSize));
        }
        Map<String, byte[]> properties = new LinkedHashMap<>();
        try {
            return command(name, mechanism, dataSize, properties);
        } catch (MalformedCommand e) {
            if (!truncated) {
                throw e;
            }
            // Cut short by our own bound, not by the peer: report what was complete.
            if (name.equals("READY")) {
                return new ZmtpCommand.Ready(properties);
            }
            if (name.equals("INITIATE")) {
                return new ZmtpCommand.Initiate(properties);
            }
            return new ZmtpCommand.Unknown(name, clamp(dataSize));
        }
    }

    private ZmtpCommand command(String name, String mechanism, long dataSize, Map<String, byte[]> properties)
            throws MalformedCommand {
        switch (name) {
            case "READY":
                properties(properties);
                return new ZmtpCommand.Ready(properties);
            case "INITIATE":
                properties(properties);
                return new ZmtpCommand.Initiate(properties);
            case "ERROR":
                return new ZmtpCommand.Error(utf8(u8("ERROR reason length"), "ERROR reason"));
            case "SUBSCRIBE":
                return new ZmtpCommand.Subscribe(rest(), false);
            case "CANCEL":
                return new ZmtpCommand.Cancel(rest(), false);
            case "PING":
                return new ZmtpCommand.Ping(u16("PING ttl"), rest());
            case "PONG":
                return new ZmtpCommand.Pong(rest());
            case "WELCOME":
                return new ZmtpCommand.Welcome();
            case "HELLO":
                if (ZmtpProtocol.PLAIN.equals(mechanism)) {
                    String username = utf8(u8("HELLO username length"), "HELLO username");
                    skip(u8("HELLO password length"), "HELLO password"); // never keep a password
                    return new ZmtpCommand.Hello(username);
                }
                return new ZmtpCommand.Unknown(name, clamp(dataSize));
            default:
                return new ZmtpCommand.Unknown(name, clamp(dataSize));
        }
    }

    /** READY/INITIATE metadata: name-length(1) name value-length(4) value, until the end. */
    private void properties(Map<String, byte[]> into) throws MalformedCommand {
        while (pos < data.length) {
            String name = ascii(u8("property name length"), "property name");
            long valueLength = u32("property value length");
            int left = data.length - pos;
            if (valueLength > left) {
                throw new MalformedCommand(pos - 4, "bad property value length",
                        "expected at most " + left + ", got " + valueLength);
            }
            into.put(name, take((int) valueLength));
        }
    }

    private int u8(String what) throws MalformedCommand {
        need(1, what);
        return data[pos++] & 0xff;
    }

    private int u16(String what) throws MalformedCommand {
        need(2, what);
        int v = (data[pos] & 0xff) << 8 | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    private long u32(String what) throws MalformedCommand {
        need(4, what);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | (data[pos++] & 0xff);
        }
        return v;
    }

    private String ascii(int n, String what) throws MalformedCommand {
        need(n, what);
        // ISO-8859-1 maps every byte to a char, so odd names are shown, never rejected.
        String s = new String(data, pos, n, StandardCharsets.ISO_8859_1);
        pos += n;
        return s;
    }

    private String utf8(int n, String what) throws MalformedCommand {
        need(n, what);
        String s = new String(data, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private void skip(int n, String what) throws MalformedCommand {
        need(n, what);
        pos += n;
    }

    private byte[] take(int n) {
        byte[] b = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return b;
    }

    private byte[] rest() {
        return take(data.length - pos);
    }

    private void need(int n, String what) throws MalformedCommand {
        int left = data.length - pos;
        if (left < n) {
            throw new MalformedCommand(pos, "truncated " + what,
                    "expected " + n + " bytes, got " + left + " before the end of the command");
        }
    }

    private static int clamp(long size) {
        return (int) Math.min(size, Integer.MAX_VALUE);
    }
}
