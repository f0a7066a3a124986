package io.zmqtap.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What one ZMTP peer sends, written by hand for the reassembly tests (as the dissector's tests do):
 * {@code new ZmtpBytes().greeting(1).ready("REQ", "abc").message("", "3").bytes()}.
 */
final class ZmtpBytes {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream();

    /** The 64-byte greeting of a ZMTP 3.{@code minor} NULL peer. */
    ZmtpBytes greeting(int minor) {
        return greeting(minor, "NULL", false);
    }

    /** The 64-byte greeting of a ZMTP 3.{@code minor} peer with {@code mechanism} and the as-server flag. */
    ZmtpBytes greeting(int minor, String mechanism, boolean asServer) {
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
    ZmtpBytes ready(String socketType, String identity) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(5);
        body.writeBytes(ascii("READY"));
        property(body, "Socket-Type", socketType);
        if (identity != null) {
            property(body, "Identity", identity);
        }
        byte[] command = body.toByteArray();
        b.write(0x04);
        b.write(command.length);
        b.writeBytes(command);
        return this;
    }

    /** A multipart message of short text frames. */
    ZmtpBytes message(String... frames) {
        for (int i = 0; i < frames.length; i++) {
            byte[] data = frames[i].getBytes(StandardCharsets.UTF_8);
            b.write(i < frames.length - 1 ? 0x01 : 0x00);
            b.write(data.length);
            b.writeBytes(data);
        }
        return this;
    }

    /** Raw bytes, e.g. something that is not ZMTP. */
    ZmtpBytes raw(byte[] bytes) {
        b.writeBytes(bytes);
        return this;
    }

    byte[] bytes() {
        return b.toByteArray();
    }

    private static void property(ByteArrayOutputStream b, String name, String value) {
        b.write(name.length());
        b.writeBytes(ascii(name));
        b.writeBytes(new byte[] {0, 0, 0, (byte) value.length()});
        b.writeBytes(ascii(value));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
