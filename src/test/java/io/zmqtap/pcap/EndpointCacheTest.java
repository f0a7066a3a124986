package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EndpointCacheTest {
    private final EndpointCache cache = new EndpointCache();
    private final ByteBuffer packet = ByteBuffer.allocate(16);

    private InetSocketAddress v4(int address, int port) {
        return cache.ipv4(packet.putInt(0, address), 0, port);
    }

    @Test
    void anEndpointSeenAgainIsTheSameInstanceAndEqualToAFreshOne() throws Exception {
        InetSocketAddress a = v4(0x7f000001, 5555);
        assertThat(v4(0x7f000001, 5555)).isSameAs(a);
        assertThat(a).isEqualTo(new InetSocketAddress(java.net.InetAddress.getByName("127.0.0.1"), 5555));
        assertThat(v4(0x7f000001, 5556)).isNotEqualTo(a);
    }

    @Test
    void hundredsOfEndpointsTakingTurnsKeepTheirInstances() {
        // 400 live endpoints (clients on random ephemeral ports of a few hosts) among 4,096 slots:
        // some share a hash, and with one slot per hash those pushed each other out on every packet
        // (about one in ten here); with two, only the few hashes shared three ways still do
        java.util.Random random = new java.util.Random(42);
        int[] addresses = new int[400];
        int[] ports = new int[addresses.length];
        InetSocketAddress[] first = new InetSocketAddress[addresses.length];
        for (int i = 0; i < first.length; i++) {
            addresses[i] = 0x0a000001 + random.nextInt(8);
            ports[i] = 32768 + random.nextInt(28232);
            first[i] = v4(addresses[i], ports[i]);
        }
        int same = 0;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < first.length; i++) {
                same += v4(addresses[i], ports[i]) == first[i] ? 1 : 0;
            }
        }
        assertThat(same).isGreaterThanOrEqualTo(3 * first.length * 97 / 100);
    }
}
