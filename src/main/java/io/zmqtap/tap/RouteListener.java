package io.zmqtap.tap;

import io.zmqtap.ZmqTapException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import java.util.function.Consumer;

/** Accepts connections on one route's listen address, on a thread of its own, and hands them on. */
final class RouteListener {
    private final Route route;
    private final ServerSocketChannel server;
    private final Thread thread;

    /** Binds now; throws {@link ZmqTapException} ("cannot listen on tcp://...: address already in use"). */
    RouteListener(Route route, Consumer<SocketChannel> accepted) {
        this.route = route;
        this.server = bind(route.listen());
        this.thread = new Thread(() -> acceptLoop(accepted), "zmqtap-accept-" + boundAddress().getPort());
        this.thread.setDaemon(true);
    }

    private static ServerSocketChannel bind(TcpAddress listen) {
        ServerSocketChannel s = null;
        try {
            InetSocketAddress address = listen.socketAddress();
            if (address.isUnresolved()) {
                throw new ZmqTapException("cannot listen on " + listen + ": unknown host " + listen.host());
            }
            s = ServerSocketChannel.open();
            s.bind(address, 128);
            return s;
        } catch (IOException e) {
            Channels.closeQuietly(s);
            String why = e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")
                    ? "address already in use"
                    : String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            throw new ZmqTapException("cannot listen on " + listen + ": " + why, e);
        }
    }

    void start() {
        thread.start();
    }

    Route route() {
        return route;
    }

    /** The address actually bound (the real port when the route asked for port 0). */
    InetSocketAddress boundAddress() {
        return (InetSocketAddress) server.socket().getLocalSocketAddress();
    }

    private void acceptLoop(Consumer<SocketChannel> accepted) {
        while (server.isOpen()) {
            try {
                accepted.accept(server.accept());
            } catch (IOException e) {
                if (server.isOpen()) {
                    // a transient failure such as too many open files: back off instead of spinning
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                }
            }
        }
    }

    /** Stops accepting; connections already accepted stay up. */
    void close() throws InterruptedException {
        Channels.closeQuietly(server);
        thread.join(5_000);
    }
}
