package io.zmqtap.pcap;

import io.zmqtap.event.KeyedHash;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The {@link KeyedHash} (SipHash under a key drawn once per run) of an endpoint's address and port,
 * for the flow table.
 *
 * <p>{@code InetSocketAddress.hashCode()} adds the port to the address's hash, and an IPv6
 * address's hash adds up its four 32-bit words: a capture file can be written so that thousands of
 * flows share one hash, and every lookup among them then walks all of them. Nobody writing a file
 * knows this run's key, so no file can line its flows up.
 *
 * <p>The endpoints {@code TcpDecoder} hands out carry their hash ({@link Keyed}), worked out once
 * per endpoint the cache makes, so a segment's lookup reads a field instead of four objects. Any
 * other {@code InetSocketAddress} gets the same hash worked out from its address's bytes.
 *
 * <p>Usage: {@code int h = EndpointHash.of(segment.source());}
 */
final class EndpointHash {
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

    /** The address's 4 or 16 bytes (an IPv4-mapped IPv6 address is an Inet4Address here too), then the port's 2. */
    private static int of(InetAddress address, int port) {
        byte[] a = address.getAddress();
        byte[] b = Arrays.copyOf(a, a.length + 2);
        b[a.length] = (byte) (port >>> 8);
        b[a.length + 1] = (byte) port;
        return KeyedHash.of(b);
    }
}
