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
 *
 * <p>Both slots are tried by one loop, not two copies of the test: a hit in the second slot comes
 * late in a file (when two live endpoints first share a set), and a test of its own, never true until
 * then, made C2 throw away and compile again every method it was inlined into.
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

    private static final int PAIR_SETS = 1024;
    private static final long PAIR_VALID = 1L << 32;
    /**
     * The IPv4 directions seen lately ({@link #pair}), two slots per hash as for endpoints: per slot
     * both addresses in one long, then PAIR_VALID | both ports. Two longs, so that the table is small
     * enough to stay in the nearest cache, which five longs per slot (IPv6's) were not.
     */
    private final long[] pairKeys = new long[PAIR_SETS * 4];
    private final EndpointPair[] pairs = new EndpointPair[PAIR_SETS * 2];
    /** The IPv6 directions seen lately: per slot, both addresses' high and low 64 bits, then PAIR_VALID | ports. */
    private final long[] pairKeys6 = new long[PAIR_SETS * 10];
    private final EndpointPair[] pairs6 = new EndpointPair[PAIR_SETS * 2];

    /**
     * The direction from the address at {@code addresses} in {@code packet} to the one right after
     * it (IPv4, or IPv6 with {@code v6}), with {@code ports} the TCP header's first 32 bits (source
     * port, destination port): one lookup for a direction seen lately, its endpoints shared with
     * every other direction that has them.
     */
    EndpointPair pair(ByteBuffer packet, int addresses, boolean v6, int ports) {
        long tag = PAIR_VALID | (ports & 0xffffffffL);
        if (v6) {
            return pair6(packet, addresses, tag, ports);
        }
        long both = packet.getLong(addresses); // source then destination
        long x = (both ^ Long.rotateLeft(tag, 29)) * 0x9e3779b97f4a7c15L;
        int set = (int) (x >>> 54) & (PAIR_SETS - 1);
        long[] k = pairKeys;
        for (int way = 0, at = set * 4; way < 2; way++, at += 2) {
            if (k[at] == both && k[at + 1] == tag) {
                return pairs[set * 2 + way];
            }
        }
        EndpointPair pair = new EndpointPair(ipv4(packet, addresses, ports >>> 16), ipv4(packet, addresses + 4, ports & 0xffff));
        return first(k, pairs, set, pair, both, tag);
    }

    private EndpointPair pair6(ByteBuffer packet, int addresses, long tag, int ports) {
        long sh = packet.getLong(addresses);
        long sl = packet.getLong(addresses + 8);
        long dh = packet.getLong(addresses + 16);
        long dl = packet.getLong(addresses + 24);
        long x = (sh ^ Long.rotateLeft(sl, 17) ^ Long.rotateLeft(dh, 31) ^ Long.rotateLeft(dl, 45) ^ tag) * 0x9e3779b97f4a7c15L;
        int set = (int) (x >>> 54) & (PAIR_SETS - 1);
        long[] k = pairKeys6;
        for (int way = 0, at = set * 10; way < 2; way++, at += 5) {
            if (k[at + 4] == tag && k[at + 1] == sl && k[at + 3] == dl && k[at] == sh && k[at + 2] == dh) {
                return pairs6[set * 2 + way];
            }
        }
        EndpointPair pair = new EndpointPair(ipv6(packet, addresses, ports >>> 16), ipv6(packet, addresses + 16, ports & 0xffff));
        return first(k, pairs6, set, pair, sh, sl, dh, dl, tag);
    }

    /** The endpoint of the IPv4 address at {@code at} in {@code packet} and {@code port}. */
    InetSocketAddress ipv4(ByteBuffer packet, int at, int port) {
        long address = packet.getInt(at) & 0xffffffffL;
        int tag = VALID | port;
        int set = set(0, address, tag);
        for (int way = 0, k = set * 6; way < 2; way++, k += 3) {
            if (keys[k + 2] == tag && keys[k + 1] == address && keys[k] == 0) {
                return endpoints[set * 2 + way];
            }
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
        for (int way = 0, k = set * 6; way < 2; way++, k += 3) {
            if (keys[k + 2] == tag && keys[k + 1] == l && keys[k] == h) {
                return endpoints[set * 2 + way];
            }
        }
        byte[] bytes = new byte[16];
        packet.get(at, bytes);
        return store(set, h, l, tag, bytes, port);
    }

    /** Makes a new endpoint and puts it first in its set. */
    private InetSocketAddress store(int set, long h, long l, int tag, byte[] bytes, int port) {
        InetSocketAddress endpoint;
        try {
            endpoint = new EndpointHash.Keyed(InetAddress.getByAddress(bytes), port); // no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 address bytes are always an address", e);
        }
        return first(keys, endpoints, set, endpoint, h, l, tag);
    }

    /**
     * Puts {@code value} under {@code key} in the first of {@code set}'s two slots (in {@code keys},
     * {@code key.length} longs a slot): the first slot's key and value move second, the second's go.
     * Only on a miss, so the array the key comes in costs nothing that matters.
     */
    private static <V> V first(long[] keys, V[] values, int set, V value, long... key) {
        int width = key.length;
        int at = set * 2 * width;
        System.arraycopy(keys, at, keys, at + width, width);
        System.arraycopy(key, 0, keys, at, width);
        values[set * 2 + 1] = values[set * 2];
        values[set * 2] = value;
        return value;
    }

    private static int set(long h, long l, int tag) {
        long x = (h ^ Long.rotateLeft(l, 21) ^ tag) * 0x9e3779b97f4a7c15L;
        return (int) (x >>> 53) & (SETS - 1);
    }
}
