package io.zmqtap.pipeline;

import io.zmqtap.event.Frame;
import io.zmqtap.event.KeyedHash;
import java.util.Arrays;
import java.util.List;

/**
 * The routing frames of a request or reply as a compact key: a DEALER's request id that a ROUTER
 * server echoes back pairs the reply with exactly its request.
 *
 * <p>The key copies at most {@value #KEPT} bytes, so a pending request never holds a hostile
 * peer's large envelope; longer envelopes keep their first bytes plus a 64-bit hash and length of
 * the whole (a collision would only pair a reply with the wrong request).
 *
 * <p>Usage: {@code EnvelopeKey.of(message.envelope()).equals(EnvelopeKey.NONE)}
 */
final class EnvelopeKey {
    static final int KEPT = 256;
    /** No routing frames: requests on the same conversation are answered in order. */
    static final EnvelopeKey NONE = new EnvelopeKey(new byte[0]);

    private final byte[] bytes;
    private final int hash;

    private EnvelopeKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = KeyedHash.of(bytes); // a peer chooses its envelopes: no chosen collisions
    }

    /** The key of {@code frames}, each length-prefixed so that {@code ["ab","c"]} differs from {@code ["a","bc"]}. */
    static EnvelopeKey of(List<Frame> frames) {
        if (frames.isEmpty()) {
            return NONE;
        }
        long total = 0;
        for (Frame f : frames) {
            total += 4 + f.data().length;
        }
        boolean whole = total <= KEPT;
        byte[] key = new byte[whole ? (int) total : KEPT + 16];
        int at = 0;
        long fnv = 0xcbf29ce484222325L; // FNV-1a over everything, for the long case
        for (Frame f : frames) {
            byte[] d = f.data();
            for (int shift = 24; shift >= 0; shift -= 8) {
                byte b = (byte) (d.length >>> shift);
                fnv = (fnv ^ (b & 0xff)) * 0x100000001b3L;
                if (at < KEPT) {
                    key[at++] = b;
                }
            }
            if (whole) {
                System.arraycopy(d, 0, key, at, d.length);
                at += d.length;
            } else {
                for (byte b : d) {
                    fnv = (fnv ^ (b & 0xff)) * 0x100000001b3L;
                    if (at < KEPT) {
                        key[at++] = b;
                    }
                }
            }
        }
        if (!whole) {
            putLong(key, KEPT, fnv);
            putLong(key, KEPT + 8, total);
        }
        return new EnvelopeKey(key);
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvelopeKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
