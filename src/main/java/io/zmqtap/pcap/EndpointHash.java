package io.zmqtap.pcap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;

/**
 * A hash of an endpoint (address and port) keyed by a seed drawn once per run, for the flow table.
 *
 * <p>{@code InetSocketAddress.hashCode()} adds the port to the address's hash, and an IPv6
 * address's hash adds up its four 32-bit words: a capture file can be written so that thousands of
 * flows share one hash, and every lookup among them then walks all of them. Nobody writing a file
 * knows this run's seed, so no file can line its flows up.
 *
 * <p>The endpoints {@code TcpDecoder} hands out carry their hash ({@link Keyed}), worked out once
 * per endpoint the cache makes, so a segment's lookup reads a field instead of four objects. Any
 * other {@code InetSocketAddress} gets the same hash worked out from its address's bytes.
 *
 * <p>Usage: {@code int h = EndpointHash.of(segment.source());}
 */
final class EndpointHash {
    private static final long SEED = new SplittableRandom().nextLong();

    private EndpointHash() {}

    /** An endpoint that carries its {@link EndpointHash#of hash}; equal to any other of the same address and port. */
    static final class Keyed extends InetSocketAddress {
        private static final long serialVersionUID = 1L;
        final int hash;

        Keyed(InetAddress address, int port) {
            super(address, port);
            this.hash = of(address, port);
        }
    }

    /** The keyed hash of {@code endpoint}. */
    static int of(InetSocketAddress endpoint) {
        if (endpoint instanceof Keyed k) {
            return k.hash;
        }
        InetAddress address = endpoint.getAddress();
        return address == null ? endpoint.hashCode() : of(address, endpoint.getPort()); // unresolved: a name, not a capture's
    }

    private static int of(InetAddress address, int port) {
        long x = SEED;
        byte[] b = address.getAddress(); // 4 or 16 bytes: an IPv4-mapped IPv6 address is an Inet4Address here too
        for (int i = 0; i < b.length; i += 4) {
            x = mix(x ^ ((b[i] & 0xffL) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | b[i + 3] & 0xff));
        }
        x = mix(x ^ port ^ (long) b.length << 32);
        return (int) (x ^ x >>> 32);
    }

    /** MurmurHash3's 64-bit finaliser: every input bit moves every output bit. */
    private static long mix(long x) {
        x = (x ^ x >>> 33) * 0xff51afd7ed558ccdL;
        x = (x ^ x >>> 33) * 0xc4ceb9fe1a85ec53L;
        return x ^ x >>> 33;
    }
}
