package io.zmqtap.pcap;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A TCP connection's two endpoints, in either direction: {@code new FlowKey(a, b)} equals
 * {@code new FlowKey(b, a)}. The endpoints are stored in a fixed but arbitrary order
 * ({@link #first()}, {@link #second()}); which one is the client comes from elsewhere (the SYN,
 * a known server port). {@link #fromFirst} tells a segment's direction.
 *
 * <p>Usage:
 * <pre>{@code
 * Connection c = connections.computeIfAbsent(segment.flow(), Connection::new);
 * c.add(segment.flow().fromFirst(segment) ? c.firstToSecond : c.secondToFirst, segment);
 * }</pre>
 */
public record FlowKey(InetSocketAddress first, InetSocketAddress second) {
    public FlowKey {
        if (compare(first, second) > 0) {
            InetSocketAddress swap = first;
            first = second;
            second = swap;
        }
    }

    /** The flow of a segment. */
    public static FlowKey of(TcpSegment segment) {
        return new FlowKey(segment.source(), segment.destination());
    }

    /** True when {@code segment} travels from {@link #first()} to {@link #second()}. */
    public boolean fromFirst(TcpSegment segment) {
        return segment.source().equals(first);
    }

    /** The other endpoint than {@code endpoint}. */
    public InetSocketAddress peerOf(InetSocketAddress endpoint) {
        return endpoint.equals(first) ? second : first;
    }

    /** A total order cheap to compute per segment: hash first, the address bytes only on a tie. */
    private static int compare(InetSocketAddress a, InetSocketAddress b) {
        int c = Integer.compare(a.getAddress().hashCode(), b.getAddress().hashCode());
        if (c == 0) {
            c = Integer.compare(a.getPort(), b.getPort());
        }
        if (c == 0 && !a.getAddress().equals(b.getAddress())) {
            c = Arrays.compare(a.getAddress().getAddress(), b.getAddress().getAddress());
        }
        return c;
    }

    @Override
    public String toString() {
        return first + " <> " + second;
    }
}
