package io.zmqtap.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Byte strings a hostile peer would pick to flood a hash map: every one has the same {@code Arrays.hashCode}. */
public final class HashFlood {
    private HashFlood() {}

    /** 2^14 ids of 28 bytes made of "Aa" and "BB" ({@code 'A' * 31 + 'a' == 'B' * 31 + 'B'}). */
    public static List<byte[]> ids() {
        List<byte[]> ids = new ArrayList<>();
        for (int bits = 0; bits < 1 << 14; bits++) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 14; i++) {
                b.append((bits >> i & 1) == 0 ? "Aa" : "BB");
            }
            ids.add(b.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return ids;
    }
}
