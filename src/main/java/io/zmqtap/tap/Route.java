package io.zmqtap.tap;

/**
 * Where a tap listens and where it forwards each accepted connection.
 *
 * <p>Usage: {@code Route.parse("tcp://127.0.0.1:4444", "tcp://127.0.0.1:5555")}
 */
public record Route(TcpAddress listen, TcpAddress upstream) {
    /** Parses both endpoints, with one-line errors naming {@code --listen} or {@code --upstream}. */
    public static Route parse(String listen, String upstream) {
        return new Route(TcpAddress.parse("--listen", listen, true), TcpAddress.parse("--upstream", upstream, false));
    }

    @Override
    public String toString() {
        return listen + " -> " + upstream;
    }
}
