package io.zmqtap.proxy;

import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.zeromq.SocketType;

/**
 * One side of a {@link WireLoop}: the socket type it plays towards its peers (ROUTER to clients,
 * DEALER to servers, PUB to capture subscribers), which peer types ZeroMQ lets it talk to, the
 * READY it sends, its counters, and what it does with their traffic.
 */
final class WireSide {
    final String role;
    final SocketType type;
    final Set<String> peerTypes;
    final byte[] ready;
    /** True for the queue's sides, which PAUSE stops; the capture side goes on answering subscribers. */
    final boolean pausable;
    final SideCounters counters = new SideCounters();
    /** Set once, before the loop starts. */
    WireTraffic traffic;

    private WireSide(String role, SocketType type, Set<String> peerTypes, boolean pausable) {
        this.role = role;
        this.type = type;
        this.peerTypes = peerTypes;
        this.pausable = pausable;
        this.ready = ZmtpEncoder.ready(Map.of("Socket-Type", type.name().getBytes(StandardCharsets.US_ASCII)));
    }

    /** The clients' side: zmqtap is a ROUTER to them. */
    static WireSide frontend() {
        return new WireSide("frontend", SocketType.ROUTER, Set.of("REQ", "DEALER", "ROUTER"), true);
    }

    /** The servers' side: zmqtap is a DEALER to them. */
    static WireSide backend() {
        return new WireSide("backend", SocketType.DEALER, Set.of("REP", "DEALER", "ROUTER"), true);
    }

    /** The capture feed: zmqtap is a PUB to sniffers. */
    static WireSide capture() {
        return new WireSide("capture", SocketType.PUB, Set.of("SUB", "XSUB"), false);
    }

    boolean isFrontend() {
        return type == SocketType.ROUTER;
    }
}
