package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.dissect.Dissector;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link FlowTable} answers as a map from (sender, receiver) to half-stream would, through any mix
 * of flows filed and taken out (backward-shift removal, growth), and finds an endpoint given as
 * another instance of the same address.
 */
class FlowTableProperties {
    private static final TcpReassembler REASSEMBLER =
            new TcpReassembler("t", new Dissector(e -> {}), e -> {}, TcpReassembler.Options.defaults());

    /** {@code op}: a flow index (filed when out, taken out when in), negative to do nothing but look. */
    @Property(tries = 500)
    void answersAsAMapWould(@ForAll("ops") List<Integer> ops) {
        List<Flow> pool = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            // few addresses and neighbouring ports: many equal address hashes, long probe runs
            InetSocketAddress client = new InetSocketAddress("10.0.0." + (1 + i % 3), 40000 + i);
            InetSocketAddress server = new InetSocketAddress("10.0.0.9", 5555 + i % 2);
            TcpSegment syn = new TcpConversation(client, server, i, i, TcpConversation.T0).syn();
            pool.add(new Flow(REASSEMBLER, syn, i));
        }
        FlowTable table = new FlowTable();
        Map<List<InetSocketAddress>, HalfStream> model = new LinkedHashMap<>();
        for (int op : ops) {
            if (op >= 0) {
                Flow f = pool.get(op % pool.size());
                if (model.containsKey(key(f.first))) {
                    table.remove(f.first);
                    table.remove(f.second);
                    model.remove(key(f.first));
                    model.remove(key(f.second));
                } else {
                    table.put(f.first);
                    table.put(f.second);
                    model.put(key(f.first), f.first);
                    model.put(key(f.second), f.second);
                }
            }
            for (Flow f : pool) {
                for (HalfStream h : List.of(f.first, f.second)) {
                    // a fresh instance of each endpoint: found by value, not only by identity
                    InetSocketAddress from = new InetSocketAddress(h.sender.getAddress(), h.sender.getPort());
                    assertThat(table.get(from, h.receiver, FlowTable.hash(from, h.receiver))).isSameAs(model.get(key(h)));
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        assertThat(table.flows()).extracting(f -> f.order)
                .isSorted()
                .hasSize(model.size() / 2);
        // a sweep's pick: the same flows in the same order as picking from all of them
        assertThat(table.flows(f -> f.order % 3 == 0))
                .containsExactlyElementsOf(table.flows().stream().filter(f -> f.order % 3 == 0).toList());
    }

    private static List<InetSocketAddress> key(HalfStream h) {
        return List.of(h.sender, h.receiver);
    }

    @Provide
    Arbitrary<List<Integer>> ops() {
        return Arbitraries.integers().between(-1, 119).list().ofMaxSize(400);
    }
}
