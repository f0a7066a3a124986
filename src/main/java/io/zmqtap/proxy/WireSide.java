package io.zmqtap.proxy;

import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.zeromq.SocketType;

/**
 * One side of the wire engine: the socket type it plays towards its peers (ROUTER to clients,
 * DEALER to servers), which peer types ZeroMQ lets it talk to, the READY it sends, and its counters.
 */
final class WireSide {
    final String role;
    final SocketType type;
    final Set<String> peerTypes;
    final byte[] ready;
    final SideCounters counters = new SideCounters();

    private WireSide(String role, SocketType type, Set<String> peerTypes) {
        this.role = role;
        this.type = type;
        this.peerTypes = peerTypes;
        this.ready = ZmtpEncoder.ready(Map.of("Socket-Type", type.name().getBytes(StandardCharsets.US_ASCII)));
    }

    /** The clients' side: zmqtap is a ROUTER to them. */
    static WireSide frontend() {
        return new WireSide("frontend", SocketType.ROUTER, Set.of("REQ", "DEALER", "ROUTER"));
    }

    /** The servers' side: zmqtap is a DEALER to them. */
    static WireSide backend() {
        return new WireSide("backend", SocketType.DEALER, Set.of("REP", "DEALER", "ROUTER"));
    }

    boolean isFrontend() {
        return type == SocketType.ROUTER;
    }
}
