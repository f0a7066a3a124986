package io.zmqtap.pcap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The {@link InetSocketAddress}es of the endpoints seen lately, so that a segment of a known
 * connection costs no address objects: a fixed table (memory does not grow with the number of
 * connections), one slot per hash, the newest endpoint wins a slot. Each endpoint carries its
 * {@link EndpointHash}.
 */
final class EndpointCache {
    private static final int SLOTS = 4096;
    private static final int VALID = 1 << 20;
    private static final int V6 = 1 << 17;

    /**
     * Per slot, side by side: the address's high and low 64 bits, and VALID | V6? | port. One array,
     * so that a lookup reads one cache line where three arrays made it read three.
     */
    private final long[] keys = new long[SLOTS * 3];
    private final InetSocketAddress[] endpoints = new InetSocketAddress[SLOTS];

    /** The endpoint of the IPv4 address at {@code at} in {@code packet} and {@code port}. */
    InetSocketAddress ipv4(ByteBuffer packet, int at, int port) {
        long address = packet.getInt(at) & 0xffffffffL;
        int tag = VALID | port;
        int slot = slot(0, address, tag);
        int k = slot * 3;
        if (keys[k + 2] == tag && keys[k + 1] == address && keys[k] == 0) {
            return endpoints[slot];
        }
        byte[] bytes = new byte[4];
        packet.get(at, bytes);
        return store(slot, 0, address, tag, bytes, port);
    }

    /** The endpoint of the IPv6 address at {@code at} in {@code packet} and {@code port}. */
    InetSocketAddress ipv6(ByteBuffer packet, int at, int port) {
        long h = packet.getLong(at);
        long l = packet.getLong(at + 8);
        int tag = VALID | V6 | port;
        int slot = slot(h, l, tag);
        int k = slot * 3;
        if (keys[k + 2] == tag && keys[k + 1] == l && keys[k] == h) {
            return endpoints[slot];
        }
        byte[] bytes = new byte[16];
        packet.get(at, bytes);
        return store(slot, h, l, tag, bytes, port);
    }

    private InetSocketAddress store(int slot, long h, long l, int tag, byte[] bytes, int port) {
        InetSocketAddress endpoint;
        try {
            endpoint = new EndpointHash.Keyed(InetAddress.getByAddress(bytes), port); // no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 address bytes are always an address", e);
        }
        keys[slot * 3] = h;
        keys[slot * 3 + 1] = l;
        keys[slot * 3 + 2] = tag;
        endpoints[slot] = endpoint;
        return endpoint;
    }

    private static int slot(long h, long l, int tag) {
        long x = (h ^ Long.rotateLeft(l, 21) ^ tag) * 0x9e3779b97f4a7c15L;
        return (int) (x >>> 52) & (SLOTS - 1);
    }
}
