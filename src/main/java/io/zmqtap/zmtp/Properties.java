package io.zmqtap.zmtp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/** Helpers for ZMTP metadata maps (property name to raw value bytes). */
final class Properties {
    private Properties() {}

    static byte[] get(Map<String, byte[]> properties, String name) {
        for (Map.Entry<String, byte[]> e : properties.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) { // property names are case-insensitive (RFC 23)
                return e.getValue();
            }
        }
        return null;
    }

    static String text(Map<String, byte[]> properties, String name) {
        byte[] value = get(properties, name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    static boolean equal(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static String toString(Map<String, byte[]> properties) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, byte[]> e : properties.entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(quote(e.getValue()));
        }
        return sb.append('}').toString();
    }

    /** {@code SUBSCRIBE "weather" (data frame)}: how subscriptions print. */
    static String topic(String command, byte[] topic, boolean viaDataFrame) {
        return command + " " + quote(topic) + (viaDataFrame ? " (data frame)" : "");
    }

    /** "text" for printable bytes, 0x... hex otherwise. */
    static String quote(byte[] bytes) {
        boolean text = true;
        for (byte b : bytes) {
            text &= b >= 0x20 && b <= 0x7e;
        }
        if (text) {
            return '"' + new String(bytes, StandardCharsets.US_ASCII) + '"';
        }
        StringBuilder sb = new StringBuilder("0x");
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
