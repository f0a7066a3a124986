package io.zmqtap.tap;

import io.zmqtap.endpoint.NetAddress;

/**
 * Where a tap listens and where it forwards each accepted connection: {@code tcp://} or
 * {@code ipc://} on either side, in any combination.
 *
 * <p>Usage: {@code Route.parse("tcp://127.0.0.1:4444", "ipc:///tmp/server.sock")}
 */
public record Route(NetAddress listen, NetAddress upstream) {
    /** Parses both endpoints, with one-line errors naming {@code --listen} or {@code --upstream}. */
    public static Route parse(String listen, String upstream) {
        return new Route(NetAddress.parse("--listen", listen, true), NetAddress.parse("--upstream", upstream, false));
    }

    @Override
    public String toString() {
        return listen + " -> " + upstream;
    }
}
