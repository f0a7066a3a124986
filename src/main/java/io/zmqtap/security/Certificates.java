package io.zmqtap.security;

import io.zmqtap.BadValueException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.zeromq.ZCert;
import org.zeromq.ZConfig;
import org.zeromq.ZMQ;

/**
 * CURVE certificates in CZMQ's zcert format: a public file {@code NAME} ({@code curve/public-key})
 * and a secret file {@code NAME_secret} (with {@code curve/secret-key} too), Z85 keys, metadata.
 * Files made by CZMQ's {@code zcert_save} or pyzmq's {@code zmq.auth.create_certificates} load
 * here, and {@link #generate} writes files they load. Every problem a user can cause (a missing or
 * garbled file, a secret others can read) is a one-line {@link BadValueException}.
 *
 * <pre>{@code
 * ZCert server = Certificates.loadSecret(Path.of("keys/server_secret"));   // refuses mode 0644
 * ZCert serverPublic = Certificates.loadPublic(Path.of("keys/server"));
 * Certificates.Pair made = Certificates.generate(Path.of("keys"), "client"); // keys/client, keys/client_secret
 * }</pre>
 */
public final class Certificates {
    /** The suffix CZMQ gives a secret certificate's file name. */
    public static final String SECRET_SUFFIX = "_secret";

    private Certificates() {}

    /** The two files {@link #generate} wrote and the public key, Z85. */
    public record Pair(Path publicFile, Path secretFile, String publicKey) {}

    /**
     * A secret certificate (public and secret key), e.g. {@code server_secret}. Refuses a file that
     * group or others may read, as ssh does with a private key: the key would no longer be secret.
     */
    public static ZCert loadSecret(Path file) {
        ZConfig config = read(file, "secret certificate");
        String publicKey = key(config, file, "public-key", "secret certificate");
        String secretKey = config.getValue("curve/secret-key");
        if (secretKey == null) {
            throw new BadValueException("" + file + " is a public certificate, not a secret one (it has no "
                    + "curve/secret-key); give the NAME" + SECRET_SUFFIX + " file");
        }
        checkZ85(secretKey, file, "secret-key");
        refuseOpenModes(file);
        return new ZCert(publicKey, secretKey);
    }

    /** A public certificate, e.g. {@code server}; a secret certificate serves too (only its public key is used). */
    public static ZCert loadPublic(Path file) {
        ZConfig config = read(file, "public certificate");
        return new ZCert(key(config, file, "public-key", "public certificate"));
    }

    /**
     * Writes a new key pair as {@code dir/name} (public) and {@code dir/name_secret} (secret, mode
     * 0600 from the moment it exists), with metadata {@code name} and {@code created-by = zmqtap}.
     * Refuses to overwrite either file.
     */
    public static Pair generate(Path dir, String name) {
        if (name.isEmpty() || name.contains("/") || name.contains(java.io.File.separator)) {
            throw new BadValueException("a certificate name is a file name without directories, not '"
                    + name + "' (use --dir for the directory)");
        }
        Path publicFile = dir.resolve(name);
        Path secretFile = dir.resolve(name + SECRET_SUFFIX);
        for (Path p : new Path[] {publicFile, secretFile}) {
            if (Files.exists(p)) {
                throw new BadValueException("" + p + " exists already: not overwriting a certificate");
            }
        }
        ZCert cert = new ZCert();
        cert.setMeta("name", name);
        cert.setMeta("created-by", "zmqtap");
        try {
            Files.createDirectories(dir);
            try (Writer w = Files.newBufferedWriter(Files.createFile(secretFile,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    StandardCharsets.UTF_8)) {
                cert.saveSecret(w);
            }
            try (Writer w = Files.newBufferedWriter(publicFile, StandardCharsets.UTF_8)) {
                cert.savePublic(w);
            }
        } catch (FileAlreadyExistsException e) {
            throw new BadValueException("" + e.getFile() + " exists already: not overwriting a certificate");
        } catch (IOException | UnsupportedOperationException e) {
            throw new BadValueException("cannot write the certificate " + secretFile + ": " + e.getMessage());
        }
        return new Pair(publicFile, secretFile, cert.getPublicKeyAsZ85());
    }

    private static ZConfig read(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new BadValueException("no " + what + " " + file + (Files.isDirectory(file)
                    ? " (it is a directory)" : " (no such file)"));
        }
        try {
            return ZConfig.load(file.toString());
        } catch (NoSuchFileException e) {
            throw new BadValueException("no " + what + " " + file + " (no such file)");
        } catch (IOException | RuntimeException e) {
            throw new BadValueException("" + file + " is not a zcert " + what + ": " + e.getMessage());
        }
    }

    private static String key(ZConfig config, Path file, String name, String what) {
        String key = config.getValue("curve/" + name);
        if (key == null) {
            throw new BadValueException("" + file + " is not a zcert " + what + ": it has no curve/" + name);
        }
        checkZ85(key, file, name);
        return key;
    }

    private static void checkZ85(String key, Path file, String name) {
        boolean ok = key.length() == ZMQ.Curve.KEY_SIZE_Z85;
        if (ok) {
            try {
                ok = ZMQ.Curve.z85Decode(key) != null;
            } catch (RuntimeException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new BadValueException("" + file + " has a garbled curve/" + name + ": expected 40 Z85 "
                    + "characters");
        }
    }

    /** A secret readable by group or others is refused, saying how to fix it. */
    private static void refuseOpenModes(Path file) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX modes here (e.g. Windows): nothing to check
        } catch (IOException e) {
            throw new BadValueException("cannot read the mode of " + file + ": " + e.getMessage());
        }
        Set<PosixFilePermission> open = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
        if (perms.stream().anyMatch(open::contains)) {
            throw new BadValueException("secret certificate " + file + " is readable by others (mode "
                    + mode(perms) + "): chmod 600 " + file);
        }
    }

    private static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 (0400) ... OTHERS_EXECUTE 8 (0001)
        }
        return String.format("0%03o", m);
    }
}
