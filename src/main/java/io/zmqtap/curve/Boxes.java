package io.zmqtap.curve;

import com.neilalexander.jnacl.crypto.curve25519xsalsa20poly1305;
import com.neilalexander.jnacl.crypto.xsalsa20poly1305;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * NaCl's boxes without its padding conventions: callers hand in the plaintext and get the
 * ciphertext with its 16-byte MAC in front, as CurveZMQ puts them on the wire.
 *
 * <p>NaCl's C API (and jnacl's, which follows it) wants 32 zero bytes before a plaintext and
 * returns 16 zero bytes before the ciphertext; the copying lives here, once.
 */
final class Boxes {
    static final int KEY = 32;
    static final int NONCE = 24;
    static final int MAC = 16;
    private static final int ZERO = 32;
    private static final int BOX_ZERO = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Boxes() {}

    /** {@code crypto_box}: plaintext to MAC + ciphertext, from our secret key to their public key. */
    static byte[] box(byte[] plain, byte[] nonce, byte[] theirPublic, byte[] ourSecret) {
        return sealed(plain, 0, plain.length, nonce, precompute(theirPublic, ourSecret));
    }

    /** {@code crypto_box_open}: null when the box does not open (wrong key, or tampered). */
    static byte[] open(byte[] box, int off, int len, byte[] nonce, byte[] theirPublic, byte[] ourSecret) {
        return opened(box, off, len, nonce, precompute(theirPublic, ourSecret));
    }

    /** {@code crypto_box_beforenm}: the shared key of a pair, for {@link #sealed} and {@link #opened}. */
    static byte[] precompute(byte[] theirPublic, byte[] ourSecret) {
        byte[] k = new byte[KEY];
        curve25519xsalsa20poly1305.crypto_box_beforenm(k, theirPublic, ourSecret);
        return k;
    }

    /** {@code crypto_box_afternm} / {@code crypto_secretbox}: the same box with a shared or symmetric key. */
    static byte[] sealed(byte[] plain, int off, int len, byte[] nonce, byte[] key) {
        byte[] m = new byte[ZERO + len];
        System.arraycopy(plain, off, m, ZERO, len);
        byte[] c = new byte[m.length];
        if (xsalsa20poly1305.crypto_secretbox(c, m, m.length, nonce, key) != 0) {
            throw new IllegalStateException("crypto_secretbox failed");
        }
        byte[] out = new byte[len + MAC];
        System.arraycopy(c, BOX_ZERO, out, 0, out.length);
        return out;
    }

    /** The inverse of {@link #sealed}: the plaintext, or null when the box does not open. */
    static byte[] opened(byte[] box, int off, int len, byte[] nonce, byte[] key) {
        if (len < MAC) {
            return null;
        }
        byte[] c = new byte[BOX_ZERO + len];
        System.arraycopy(box, off, c, BOX_ZERO, len);
        byte[] m = new byte[c.length];
        if (xsalsa20poly1305.crypto_secretbox_open(m, c, c.length, nonce, key) != 0) {
            return null;
        }
        byte[] out = new byte[len - MAC];
        System.arraycopy(m, ZERO, out, 0, out.length);
        return out;
    }

    /** A 24-byte nonce: {@code prefix} (ASCII) then {@code tail} from {@code off}. */
    static byte[] nonce(String prefix, byte[] tail, int off) {
        byte[] n = new byte[NONCE];
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(p, 0, n, 0, p.length);
        System.arraycopy(tail, off, n, p.length, NONCE - p.length);
        return n;
    }

    /** A 24-byte nonce: a 16-byte {@code prefix} then the short nonce, big-endian. */
    static byte[] nonce(String prefix, long shortNonce) {
        byte[] tail = new byte[8];
        putLong(tail, 0, shortNonce);
        return nonce(prefix, tail, 0);
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xff);
        }
        return v;
    }
}
