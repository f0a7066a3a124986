package io.zmqtap.testing;

import java.io.ByteArrayOutputStream;

/** Hex fixtures: {@code Hex.bytes("ff00 0000", "7f")}; whitespace is ignored. */
public final class Hex {
    private Hex() {}

    public static byte[] bytes(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            String hex = part.replaceAll("\\s", "");
            if (hex.length() % 2 != 0) {
                throw new IllegalArgumentException("odd number of hex digits: " + part);
            }
            for (int i = 0; i < hex.length(); i += 2) {
                out.write(Integer.parseInt(hex.substring(i, i + 2), 16));
            }
        }
        return out.toByteArray();
    }
}
