package io.zmqtap.zmtp;

/**
 * A peer's ZMTP greeting.
 *
 * <p>ZMTP/3.x peers send it as 64 bytes; for ZMTP/2.0 and 1.0 peers the decoder synthesises one
 * ({@code major} 2 or 1, mechanism {@code NULL}) so that every connection reports its version the
 * same way.
 *
 * <p>Usage: {@code greeting.version() // "3.1"}
 *
 * @param major protocol major version (1, 2 or 3)
 * @param minor protocol minor version (0 or 1 for ZMTP/3)
 * @param mechanism security mechanism name, e.g. {@code NULL}, {@code PLAIN}, {@code CURVE}
 * @param asServer the as-server flag (always false before ZMTP/3)
 */
public record Greeting(int major, int minor, String mechanism, boolean asServer) {
    /** "3.1", "3.0", "2.0", "1.0". */
    public String version() {
        return major + "." + minor;
    }

    /** True for the pre-3.0 protocols (ZMTP/1.0 and 2.0), which have no commands or mechanisms. */
    public boolean isLegacy() {
        return major < 3;
    }

    /** True when this peer sends SUBSCRIBE/CANCEL as commands (ZMTP 3.1 and later). */
    public boolean hasSubscribeCommands() {
        return major > 3 || (major == 3 && minor >= 1);
    }

    /** "ZMTP/3.1 NULL" or, with the as-server flag, "ZMTP/3.0 PLAIN as-server". */
    @Override
    public String toString() {
        return "ZMTP/" + version() + " " + mechanism + (asServer ? " as-server" : "");
    }
}
