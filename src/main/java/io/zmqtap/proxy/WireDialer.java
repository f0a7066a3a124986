package io.zmqtap.proxy;

import io.zmqtap.endpoint.NetAddress;
import java.nio.channels.SocketChannel;

/** Where the wire engine connects, and the connection it keeps there (re-dialled when it drops). */
final class WireDialer {
    /** ZeroMQ's default reconnect interval. */
    static final long RECONNECT_NANOS = 100_000_000L;

    final NetAddress address;
    final WireSide side;
    SocketChannel connecting;
    WirePeer peer;
    long retryAt;

    WireDialer(NetAddress address, WireSide side) {
        this.address = address;
        this.side = side;
    }

    /** Neither connected nor connecting: it is waiting to dial (again). */
    boolean unconnected() {
        return peer == null && connecting == null;
    }

    /** Dials again after the reconnect interval (ZeroMQ's default, 100 ms). */
    void retryLater() {
        retryAt = System.nanoTime() + RECONNECT_NANOS;
    }
}
