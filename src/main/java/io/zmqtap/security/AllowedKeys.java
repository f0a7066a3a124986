package io.zmqtap.security;

import io.zmqtap.ZmqTapException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The CURVE public keys of a directory of public certificates ({@code --allow DIR}), re-read when
 * the directory changes, as CZMQ's zcertstore does: each lookup first compares the directory's
 * listing (names, sizes, modification times) with the last one, so a certificate copied in is
 * allowed from the next connection attempt on, with no delay. Files that are no certificate (a
 * README, a half-written copy) are skipped with a notice instead of stopping the handler, which
 * JeroMQ's {@code ZCertStore} would do (its ZConfig parser throws on such a file).
 *
 * <p>Usage: {@code new AllowedKeys(dir, System.err::println).contains(z85Key)}
 */
final class AllowedKeys {
    private final Path dir;
    private final Consumer<String> skipped;
    private String stamp = null;
    private Set<String> keys = Set.of();

    AllowedKeys(Path dir, Consumer<String> skipped) {
        this.dir = dir;
        this.skipped = skipped;
    }

    /** True when a certificate in the directory, as it is now, has this public key (Z85). */
    synchronized boolean contains(String z85) {
        reloadIfChanged();
        return keys.contains(z85);
    }

    /** How many keys the directory holds now. */
    synchronized int size() {
        reloadIfChanged();
        return keys.size();
    }

    private void reloadIfChanged() {
        TreeMap<String, Path> files = new TreeMap<>();
        StringBuilder now = new StringBuilder();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            for (Path p : list) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                    files.put(p.getFileName().toString(), p);
                }
            }
            for (Path p : files.values()) {
                now.append(p.getFileName()).append('/').append(Files.size(p)).append('/')
                        .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
            }
        } catch (IOException e) {
            if (stamp == null || !stamp.isEmpty()) {
                skipped.accept("--allow " + dir + ": cannot read the directory (" + e.getMessage()
                        + "): no CURVE client is allowed");
            }
            stamp = "";
            keys = Set.of();
            return;
        }
        String next = now.toString();
        if (next.equals(stamp)) {
            return;
        }
        Set<String> loaded = new HashSet<>();
        for (Path p : files.values()) {
            try {
                loaded.add(Certificates.loadPublic(p).getPublicKeyAsZ85());
            } catch (RuntimeException e) {
                skipped.accept("--allow " + dir + ": skipped " + p.getFileName() + ": "
                        + ZmqTapException.oneLine(e));
            }
        }
        keys = loaded;
        stamp = next;
    }
}
