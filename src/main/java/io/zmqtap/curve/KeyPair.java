package io.zmqtap.curve;

import com.neilalexander.jnacl.crypto.curve25519xsalsa20poly1305;
import java.util.Arrays;
import org.zeromq.ZCert;
import org.zeromq.ZMQ;

/**
 * A Curve25519 key pair, 32 bytes each: a long-term certificate's or a fresh one.
 *
 * <p>Usage: {@code KeyPair server = KeyPair.of(Certificates.loadSecret(Path.of("server_secret")));}
 */
public final class KeyPair {
    private final byte[] publicKey;
    private final byte[] secretKey;

    private KeyPair(byte[] publicKey, byte[] secretKey) {
        if (publicKey.length != Boxes.KEY || secretKey.length != Boxes.KEY) {
            throw new IllegalArgumentException("CURVE keys are 32 bytes");
        }
        this.publicKey = publicKey.clone();
        this.secretKey = secretKey.clone();
    }

    /** A fresh random pair, e.g. a short-term (connection) key or a throwaway client certificate. */
    public static KeyPair generate() {
        byte[] pk = new byte[Boxes.KEY];
        byte[] sk = new byte[Boxes.KEY];
        curve25519xsalsa20poly1305.crypto_box_keypair(pk, sk);
        return new KeyPair(pk, sk);
    }

    /** The keys of a secret certificate, as {@code Certificates.loadSecret} returns it. */
    public static KeyPair of(ZCert secretCertificate) {
        byte[] sk = secretCertificate.getSecretKey();
        if (sk == null) {
            throw new IllegalArgumentException("a public certificate has no secret key");
        }
        return new KeyPair(secretCertificate.getPublicKey(), sk);
    }

    /** From raw keys (e.g. tests). */
    public static KeyPair of(byte[] publicKey, byte[] secretKey) {
        return new KeyPair(publicKey, secretKey);
    }

    /** A copy of the public key. */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The public key in Z85, 40 characters, as certificates and pyzmq write it. */
    public String publicKeyZ85() {
        return z85(publicKey);
    }

    byte[] secret() {
        return secretKey;
    }

    byte[] pub() {
        return publicKey;
    }

    /** A 32-byte key in Z85. */
    public static String z85(byte[] key) {
        return ZMQ.Curve.z85Encode(key);
    }

    @Override
    public String toString() {
        return "KeyPair[" + publicKeyZ85() + "]"; // never the secret
    }

    static boolean same(byte[] a, int aOff, byte[] b) {
        return Arrays.equals(a, aOff, aOff + b.length, b, 0, b.length);
    }
}
