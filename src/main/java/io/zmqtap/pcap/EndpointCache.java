package io.zmqtap.pcap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The {@link InetSocketAddress}es of the endpoints seen lately, so that a segment of a known
 * connection costs no address objects: a fixed table (memory does not grow with the number of
 * connections), two slots per hash, the newest endpoint first. Each endpoint carries its
 * {@link EndpointHash}.
 *
 * <p>Two slots, not one: with one, two live endpoints that share a hash (a few in a hundred, with
 * hundreds of connections at once) pushed each other out on every packet, and each time the
 * endpoint was made again, its hash worked out again, and the flow table had to compare it by value.
 */
final class EndpointCache {
    private static final int SETS = 2048;
    private static final int VALID = 1 << 20;
    private static final int V6 = 1 << 17;

    /**
     * Per set, its two slots side by side, each the address's high and low 64 bits, then
     * VALID | V6? | port. One array, so that a lookup reads one cache line where three arrays made it
     * read three.
     */
    private final long[] keys = new long[SETS * 6];
    /** Per set, its two slots' endpoints. */
    private final InetSocketAddress[] endpoints = new InetSocketAddress[SETS * 2];

    /** The endpoint of the IPv4 address at {@code at} in {@code packet} and {@code port}. */
    InetSocketAddress ipv4(ByteBuffer packet, int at, int port) {
        long address = packet.getInt(at) & 0xffffffffL;
        int tag = VALID | port;
        int set = set(0, address, tag);
        int k = set * 6;
        if (keys[k + 2] == tag && keys[k + 1] == address && keys[k] == 0) {
            return endpoints[set * 2];
        }
        if (keys[k + 5] == tag && keys[k + 4] == address && keys[k + 3] == 0) {
            return endpoints[set * 2 + 1];
        }
        byte[] bytes = new byte[4];
        packet.get(at, bytes);
        return store(set, 0, address, tag, bytes, port);
    }

    /** The endpoint of the IPv6 address at {@code at} in {@code packet} and {@code port}. */
    InetSocketAddress ipv6(ByteBuffer packet, int at, int port) {
        long h = packet.getLong(at);
        long l = packet.getLong(at + 8);
        int tag = VALID | V6 | port;
        int set = set(h, l, tag);
        int k = set * 6;
        if (keys[k + 2] == tag && keys[k + 1] == l && keys[k] == h) {
            return endpoints[set * 2];
        }
        if (keys[k + 5] == tag && keys[k + 4] == l && keys[k + 3] == h) {
            return endpoints[set * 2 + 1];
        }
        byte[] bytes = new byte[16];
        packet.get(at, bytes);
        return store(set, h, l, tag, bytes, port);
    }

    /** Puts a new endpoint first in its set; the one that was first moves second, the second goes. */
    private InetSocketAddress store(int set, long h, long l, int tag, byte[] bytes, int port) {
        InetSocketAddress endpoint;
        try {
            endpoint = new EndpointHash.Keyed(InetAddress.getByAddress(bytes), port); // no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 address bytes are always an address", e);
        }
        int k = set * 6;
        System.arraycopy(keys, k, keys, k + 3, 3);
        endpoints[set * 2 + 1] = endpoints[set * 2];
        keys[k] = h;
        keys[k + 1] = l;
        keys[k + 2] = tag;
        endpoints[set * 2] = endpoint;
        return endpoint;
    }

    private static int set(long h, long l, int tag) {
        long x = (h ^ Long.rotateLeft(l, 21) ^ tag) * 0x9e3779b97f4a7c15L;
        return (int) (x >>> 53) & (SETS - 1);
    }
}
