package io.zmqtap.pcap;

import java.net.InetSocketAddress;

/**
 * One direction of a TCP connection as a map key: sender and receiver. A flow is filed under both
 * of its directions, so a segment finds its flow, and which way it went, in one lookup.
 *
 * <p>Keys in the map are never changed; the reassembler looks up with one reused probe (same class,
 * fields {@link #set set} per segment), so that finding a flow allocates nothing.
 */
final class DirectedKey {
    private InetSocketAddress from;
    private InetSocketAddress to;
    private int hash;

    /** A probe, aimed by {@link #set} before each lookup. */
    DirectedKey() {}

    DirectedKey(InetSocketAddress from, InetSocketAddress to) {
        set(from, to);
    }

    /** Re-aims a probe key; never call on a key that is in a map. */
    DirectedKey set(InetSocketAddress from, InetSocketAddress to) {
        this.from = from;
        this.to = to;
        this.hash = from.hashCode() * 31 + to.hashCode();
        return this;
    }

    @Override
    public boolean equals(Object o) {
        // the same instances first: EndpointCache hands out one per address and port it holds
        return o instanceof DirectedKey k && k.hash == hash
                && (k.from == from || k.from.equals(from)) && (k.to == to || k.to.equals(to));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Addresses.text(from) + " > " + Addresses.text(to);
    }
}
