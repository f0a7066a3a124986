package io.zmqtap.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What one ZMTP peer sends, written by hand for the tests of the dissector and the TCP reassembly:
 * {@code new ZmtpBytes().greeting(1).ready("REQ", "abc").message("", "3").bytes()}.
 */
public final class ZmtpBytes {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream();

    /** The 64-byte greeting of a ZMTP 3.{@code minor} NULL peer (as-server 0). */
    public ZmtpBytes greeting(int minor) {
        return greeting(minor, "NULL", false);
    }

    /** The 64-byte greeting of a ZMTP 3.{@code minor} peer with {@code mechanism} and the as-server flag. */
    public ZmtpBytes greeting(int minor, String mechanism, boolean asServer) {
        byte[] g = new byte[64];
        g[0] = (byte) 0xff;
        g[9] = 0x7f;
        g[10] = 3;
        g[11] = (byte) minor;
        byte[] name = ascii(mechanism);
        System.arraycopy(name, 0, g, 12, name.length);
        g[32] = (byte) (asServer ? 1 : 0);
        b.writeBytes(g);
        return this;
    }

    /** READY with {@code Socket-Type} and, unless null, {@code Identity}. */
    public ZmtpBytes ready(String socketType, String identity) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(5);
        body.writeBytes(ascii("READY"));
        property(body, "Socket-Type", socketType);
        if (identity != null) {
            property(body, "Identity", identity);
        }
        return command(body.toByteArray());
    }

    /** A ZMTP 3.1 SUBSCRIBE command. */
    public ZmtpBytes subscribeCommand(String topic) {
        return command(named("SUBSCRIBE", topic));
    }

    /** A ZMTP 3.1 CANCEL command. */
    public ZmtpBytes cancelCommand(String topic) {
        return command(named("CANCEL", topic));
    }

    /** A multipart message of short text frames. */
    public ZmtpBytes message(String... frames) {
        for (int i = 0; i < frames.length; i++) {
            byte[] data = frames[i].getBytes(StandardCharsets.UTF_8);
            b.write(i < frames.length - 1 ? 0x01 : 0x00);
            b.write(data.length);
            b.writeBytes(data);
        }
        return this;
    }

    /** Raw bytes, e.g. a ZMTP 3.0 subscription frame's body or something that is not ZMTP. */
    public ZmtpBytes raw(byte[] bytes) {
        b.writeBytes(bytes);
        return this;
    }

    public byte[] bytes() {
        return b.toByteArray();
    }

    private ZmtpBytes command(byte[] body) {
        b.write(0x04);
        b.write(body.length);
        b.writeBytes(body);
        return this;
    }

    private static byte[] named(String name, String rest) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(name.length());
        body.writeBytes(ascii(name));
        body.writeBytes(rest.getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static void property(ByteArrayOutputStream b, String name, String value) {
        b.write(name.length());
        b.writeBytes(ascii(name));
        b.writeBytes(new byte[] {0, 0, 0, (byte) value.length()});
        b.writeBytes(ascii(value));
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
