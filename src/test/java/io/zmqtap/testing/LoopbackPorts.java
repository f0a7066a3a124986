package io.zmqtap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A free ephemeral TCP port on 127.0.0.1, for a program that binds but cannot report the port it
 * got (e.g. {@code zmqtap watch @tcp://127.0.0.1:PORT}).
 *
 * <p>Usage: {@code String endpoint = "@tcp://127.0.0.1:" + LoopbackPorts.free();}
 *
 * <p>The operating system picks the port; it stays free until the test binds it unless another
 * program grabs that same ephemeral port in between, which the kernel's port rotation makes
 * unlikely. Prefer binding {@code tcp://127.0.0.1:*} and reading the resolved endpoint wherever
 * the API offers it.
 */
public final class LoopbackPorts {
    private LoopbackPorts() {}

    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
