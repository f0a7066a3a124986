package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.dissect.Dissector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A capture written so that every flow has the same {@code InetSocketAddress.hashCode()}: IPv6
 * clients whose four address words add up to the same sum, all on one port. Hashed that way, each
 * lookup would walk every flow filed so far; the flow table's keyed hash spreads them as it
 * spreads any others.
 */
class FlowTableAttackTest {
    private static final int FLOWS = 20_000;

    @Test
    void flowsCraftedToShareOneJdkHashStillTakeAFewSlotsEach() throws Exception {
        EndpointCache cache = new EndpointCache();
        ByteBuffer packet = ByteBuffer.allocate(16);
        InetSocketAddress server = cache.ipv6(packet.putLong(0, 0x20010db800000000L).putLong(8, 1), 0, 5555);
        TcpReassembler reassembler = new TcpReassembler("t", new Dissector(e -> {}), e -> {}, TcpReassembler.Options.defaults());
        FlowTable table = new FlowTable();
        List<InetSocketAddress> clients = new ArrayList<>();
        for (int i = 1; i <= FLOWS; i++) {
            // words (0x20010db8, 0, i, -i): the same sum, so the same JDK hash, for every client
            packet.putLong(0, 0x20010db800000000L).putLong(8, (long) i << 32 | (-i & 0xffffffffL));
            InetSocketAddress client = cache.ipv6(packet, 0, 40000);
            clients.add(client);
            TcpSegment syn = new TcpSegment(Instant.EPOCH, client, server, i, 0, true, false, false, false,
                    ByteBuffer.allocate(0), 0, 0);
            Flow flow = new Flow(reassembler, syn, i);
            table.put(flow.first);
            table.put(flow.second);
        }
        assertThat(clients.get(0).hashCode()).isEqualTo(clients.get(FLOWS - 1).hashCode()); // the attack is real

        long probes = 0;
        int longest = 0;
        for (InetSocketAddress client : clients) {
            // found by value too: an endpoint the cache did not make hashes the same
            InetSocketAddress plain = new InetSocketAddress(InetAddress.getByAddress(client.getAddress().getAddress()), 40000);
            assertThat(table.get(plain, server, FlowTable.hash(plain, server))).isNotNull()
                    .isSameAs(table.get(client, server, FlowTable.hash(client, server)));
            int p = table.probes(client, server) + table.probes(server, client);
            probes += p;
            longest = Math.max(longest, p);
        }
        assertThat((double) probes / (2 * FLOWS)).isLessThan(3.0); // hashed by the JDK: about 10,000 on average
        assertThat(longest).isLessThan(200);
    }
}
