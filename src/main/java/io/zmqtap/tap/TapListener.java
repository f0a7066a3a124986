package io.zmqtap.tap;

import io.zmqtap.endpoint.Closing;
import io.zmqtap.endpoint.NetAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * One route's listening socket (bound when made) and its upstream address.
 *
 * <p>The upstream's host name is looked up once, not per client: a lookup blocks, and the loop
 * that connects serves every other connection too. After a failed connect it is looked up again,
 * at most every {@link #LOOKUP_AGAIN_NANOS}, so an upstream that moved or came up later is found.
 *
 * <p>Usage: {@code TapListener l = TapListener.listen(route, 1024); SocketAddress a = l.upstreamAddress(System.nanoTime());}
 */
final class TapListener {
    static final long LOOKUP_AGAIN_NANOS = 10_000_000_000L;

    private final Route route;
    private final ServerSocketChannel channel;
    private final String bound;
    private final String upstreamText;
    private SocketAddress upstream;
    private long lookedUpAt;
    private boolean failedSinceLookup;

    private TapListener(Route route, ServerSocketChannel channel) {
        this.route = route;
        this.channel = channel;
        this.bound = route.listen().bound(channel);
        String u = route.upstream().toString();
        // ConnectionEvent names a TCP peer host:port, as it names the client; an ipc one by its endpoint.
        this.upstreamText = route.upstream() instanceof NetAddress.Tcp ? u.substring("tcp://".length()) : u;
    }

    /** Binds now; throws {@code ZmqTapException} with one line, e.g. "cannot listen on tcp://...: address already in use". */
    static TapListener listen(Route route, int backlog) {
        return new TapListener(route, route.listen().listen(backlog));
    }

    Route route() {
        return route;
    }

    ServerSocketChannel channel() {
        return channel;
    }

    /** The address actually listened on, e.g. {@code tcp://127.0.0.1:41234} for port 0. */
    String bound() {
        return bound;
    }

    /** The route with the port actually bound, e.g. {@code tcp://127.0.0.1:41234 -> tcp://127.0.0.1:5555}. */
    Route boundRoute() {
        try {
            if (route.listen() instanceof NetAddress.Tcp t && channel.getLocalAddress() instanceof InetSocketAddress a) {
                return new Route(new NetAddress.Tcp(t.host(), a.getPort()), route.upstream());
            }
        } catch (IOException e) {
            // closed already: the route as given is all there is to say
        }
        return route;
    }

    /** The upstream as {@code ConnectionEvent} names it: {@code 127.0.0.1:5555} or {@code ipc:///tmp/s.sock}. */
    String upstreamText() {
        return upstreamText;
    }

    /** Where to connect; an unresolved address when the host is unknown. */
    SocketAddress upstreamAddress(long now) {
        if (upstream == null || failedSinceLookup && now - lookedUpAt >= LOOKUP_AGAIN_NANOS) {
            upstream = route.upstream().socketAddress();
            lookedUpAt = now;
            failedSinceLookup = false;
        }
        return upstream;
    }

    /** A connect to the upstream failed: the next one may look the host up again. */
    void connectFailed() {
        failedSinceLookup = upstream instanceof InetSocketAddress; // a path needs no lookup
    }

    /** Stops listening and removes what listening left behind (an ipc socket file). */
    void close() {
        Closing.quietly(channel);
        route.listen().unlisten();
    }
}
