package io.zmqtap.security;

import io.zmqtap.BadValueException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who may connect to a queue's served sockets (frontend, capture, control), as CZMQ's zauth has
 * it: CURVE clients whose public certificate is in a directory ({@code --allow DIR}, re-read when
 * it changes), PLAIN users from a passwords file ({@code user=password} lines, {@code --in-plain}),
 * and addresses allowed or denied ({@code --allow-ip}, {@code --deny-ip}; with any allowed, every
 * other address is denied). Without a directory every CURVE client that knows the server's public
 * key is let in.
 *
 * <pre>{@code
 * AccessRules rules = AccessRules.none().allowDirectory(Path.of("keys/allowed")).denyAddress("10.0.0.9");
 * }</pre>
 */
public final class AccessRules {
    private Path allowDirectory;
    private Path plainUsers;
    private final Set<String> allowedAddresses = new LinkedHashSet<>();
    private final Set<String> deniedAddresses = new LinkedHashSet<>();

    private AccessRules() {}

    /** No rules yet: every client is let in. */
    public static AccessRules none() {
        return new AccessRules();
    }

    /** Only CURVE clients with a public certificate in {@code dir} (checked now: it must be a directory). */
    public AccessRules allowDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadValueException("--allow " + dir + ": no such directory (it holds the public certificates "
                    + "of the clients allowed)");
        }
        allowDirectory = dir;
        return this;
    }

    /** PLAIN users and passwords, {@code user=password} per line (CZMQ's passwords file). */
    public AccessRules plainUsers(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new BadValueException("--in-plain " + file + ": no such readable file (expected user=password "
                    + "lines)");
        }
        plainUsers = file;
        return this;
    }

    public AccessRules allowAddress(String ip) {
        allowedAddresses.add(ip.strip());
        return this;
    }

    public AccessRules denyAddress(String ip) {
        deniedAddresses.add(ip.strip());
        return this;
    }

    public Path allowDirectory() {
        return allowDirectory;
    }

    public Path plainUsers() {
        return plainUsers;
    }

    /** True when no rule is set: no ZAP handler is needed. */
    public boolean isEmpty() {
        return allowDirectory == null && plainUsers == null && allowedAddresses.isEmpty()
                && deniedAddresses.isEmpty();
    }

    /** True when any address rule is set (then NULL clients are checked too). */
    public boolean filtersAddresses() {
        return !allowedAddresses.isEmpty() || !deniedAddresses.isEmpty();
    }

    /** Why {@code address} may not connect, or null when it may. */
    String refuseAddress(String address) {
        if (!allowedAddresses.isEmpty()) {
            return allowedAddresses.contains(address) ? null : "address not in --allow-ip";
        }
        return deniedAddresses.contains(address) ? "address in --deny-ip" : null;
    }
}
