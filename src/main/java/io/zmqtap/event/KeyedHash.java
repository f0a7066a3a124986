package io.zmqtap.event;

import java.security.SecureRandom;

/**
 * SipHash-2-4 (Aumasson and Bernstein) under a key drawn once per run: the hash of bytes a peer
 * chooses (routing ids, envelopes), so that no peer can pick thousands of them sharing one hash.
 * {@code Arrays.hashCode} is {@code 31 * h + b}: "Aa" and "BB" hash alike, and so do the 2^n ids
 * made of n such pairs; in a hash map each lookup among them walks them all.
 *
 * <p>Usage: {@code int h = KeyedHash.of(frame.data());}
 */
public final class KeyedHash {
    private static final long K0;
    private static final long K1;

    static {
        SecureRandom random = new SecureRandom();
        K0 = random.nextLong();
        K1 = random.nextLong();
    }

    private KeyedHash() {}

    /** The keyed hash of {@code data}, folded to an int. */
    public static int of(byte[] data) {
        long h = sipHash24(K0, K1, data);
        return (int) (h ^ h >>> 32);
    }

    /** SipHash-2-4 of {@code data} under the key ({@code k0}, {@code k1}), as the reference defines it. */
    static long sipHash24(long k0, long k1, byte[] data) {
        State s = new State(k0, k1);
        int n = data.length;
        int whole = n & ~7;
        for (int i = 0; i < whole; i += 8) {
            s.absorb(littleEndian(data, i, 8));
        }
        s.absorb((long) (n & 0xff) << 56 | littleEndian(data, whole, n - whole));
        s.v2 ^= 0xff;
        s.rounds(4);
        return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
    }

    /** The four words of SipHash's state (one object per hash, which escape analysis removes). */
    private static final class State {
        long v0;
        long v1;
        long v2;
        long v3;

        State(long k0, long k1) {
            v0 = k0 ^ 0x736f6d6570736575L;
            v1 = k1 ^ 0x646f72616e646f6dL;
            v2 = k0 ^ 0x6c7967656e657261L;
            v3 = k1 ^ 0x7465646279746573L;
        }

        /** One 8-byte word, with SipHash-2-4's two rounds. */
        void absorb(long m) {
            v3 ^= m;
            rounds(2);
            v0 ^= m;
        }

        void rounds(int n) {
            for (int r = 0; r < n; r++) {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13) ^ v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16) ^ v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21) ^ v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17) ^ v2;
                v2 = Long.rotateLeft(v2, 32);
            }
        }
    }

    private static long littleEndian(byte[] b, int at, int count) {
        long m = 0;
        for (int i = count - 1; i >= 0; i--) {
            m = m << 8 | b[at + i] & 0xff;
        }
        return m;
    }
}
