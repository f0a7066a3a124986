package io.zmqtap.pcap;

import io.zmqtap.testing.ZmtpBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flow table follows the connections that are open, not the length of the capture. */
class FlowMemoryTest {
    @Test
    void closedAndIgnoredFlowsAreForgottenAsCaptureTimePasses() {
        Reassembly r = new Reassembly();
        int most = 0;
        for (int i = 0; i < 600; i++) {
            Instant start = TcpConversation.T0.plus(Duration.ofSeconds(6L * i)); // one a 6 s, over an hour
            InetSocketAddress client = new InetSocketAddress("10.0.0.1", 20000 + i);
            TcpConversation zmq = new TcpConversation(client, new InetSocketAddress("10.0.0.2", 5555), i, 7L * i, start);
            r.feed(ReqRep.all(zmq));
            TcpConversation http = new TcpConversation(client, new InetSocketAddress("10.0.0.2", 80), i, 7L * i, start);
            List<TcpSegment> get = new ArrayList<>(ReqRep.handshake(http));
            get.addAll(http.client(ZmtpBytes.ascii("GET / HTTP/1.1\r\n\r\n"))); // never closed
            r.feed(get);
            most = Math.max(most, r.reassembler.trackedFlows());
        }

        assertThat(r.counters().zeromqFlows()).isEqualTo(600);
        assertThat(r.counters().ignoredFlows()).isEqualTo(600);
        // the closed ZeroMQ flows still lingering hold no decoders: only open ones do (none here)
        assertThat(r.reassembler.trackedFlows()).isPositive();
        assertThat(r.reassembler.dissectingFlows()).isZero();
        // closed ones kept 2 minutes (20 of them), ignored ones 10 (100), plus one sweep interval of each
        assertThat(most).isLessThan(20 + 100 + 2 * 10 + 2);
    }

    @Test
    void aLateSegmentOfAClosedFlowIsAbsorbedWhileItLingersAndOpensNothing() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        List<TcpSegment> all = ReqRep.all(c);
        TcpSegment late = TcpConversation.at(all.get(all.size() - 1), all.get(all.size() - 1).time().plusSeconds(60));

        Reassembly r = new Reassembly().feed(all).feed(late);

        assertThat(r.counters().flows()).isEqualTo(1);
        assertThat(r.lines()).hasSize(8);
    }

    /** A REQ/REP conversation, then another on its ports 30 s after it closed (the first still lingers). */
    private record PortsReused(TcpConversation first, List<TcpSegment> before, List<TcpSegment> after, Instant later) {
        static PortsReused make() {
            TcpConversation first = TcpConversation.loopback(53122, 5555);
            List<TcpSegment> before = ReqRep.all(first);
            Instant later = before.get(before.size() - 1).time().plusSeconds(30);
            TcpConversation second = new TcpConversation(first.client, first.server, 77_000_000, 88_000_000, later);
            return new PortsReused(first, before, ReqRep.all(second), later);
        }
    }

    @Test
    void aNewSynOnTheEndpointsOfALingeringFlowOpensTheNextConnection() {
        PortsReused p = PortsReused.make();
        TcpSegment lateOfFirst = TcpConversation.at(p.before().get(p.before().size() - 1), p.later().plusSeconds(20));

        Reassembly r = new Reassembly().feed(p.before()).feed(p.after()).feed(lateOfFirst);

        assertThat(r.counters().flows()).isEqualTo(2);
        assertThat(r.counters().zeromqFlows()).isEqualTo(2);
        assertThat(r.lines()).hasSize(16);
        assertThat(r.lines().get(8)).contains("c2");
        assertThat(r.reassembler.trackedFlows()).isEqualTo(1); // the first was forgotten when its ports came back
    }

    @Test
    void throughTheDecoderItsNotesOnEndpointPairsFollowCloseLingerAndReuse() {
        PortsReused p = PortsReused.make();
        TcpSegment lateOfSecond = TcpConversation.at(p.after().get(p.after().size() - 1), p.later().plusSeconds(20));
        Instant muchLater = p.later().plusSeconds(600); // both long forgotten
        TcpConversation third = new TcpConversation(p.first().client, p.first().server, 5, 6, muchLater);
        List<TcpSegment> all = new ArrayList<>(p.before());
        all.addAll(p.after());
        all.add(lateOfSecond);
        List<TcpSegment> thirdAll = ReqRep.all(third);
        all.addAll(thirdAll.subList(3, thirdAll.size())); // joined after its handshake, on a forgotten flow's endpoints
        TcpConversation v6 = new TcpConversation(new InetSocketAddress("2001:db8::1", 53122),
                new InetSocketAddress("2001:db8::2", 5555), 9, 10, muchLater.plusSeconds(1));
        all.addAll(ReqRep.all(v6));

        Reassembly decoded = new Reassembly().feedDecoded(all);
        Reassembly plain = new Reassembly().feed(all);

        assertThat(decoded.counters()).isEqualTo(plain.counters());
        assertThat(decoded.counters().zeromqFlows()).isEqualTo(4);
        assertThat(decoded.lines()).isEqualTo(plain.lines()).hasSizeGreaterThan(32);
    }

    @Test
    void theTableShrinksWhenABurstOfFlowsIsGone() {
        TcpReassembler owner = new TcpReassembler("t", new io.zmqtap.dissect.Dissector(e -> {}), e -> {},
                TcpReassembler.Options.defaults());
        FlowTable table = new FlowTable();
        InetSocketAddress server = new InetSocketAddress("10.0.0.2", 5555);
        List<Flow> burst = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            InetSocketAddress client = new InetSocketAddress("10.0." + (i >> 8 & 0xff) + "." + (i & 0xff), 40000);
            Flow f = new Flow(owner, new TcpConversation(client, server, i, i, TcpConversation.T0).syn(), i);
            table.put(f.first);
            table.put(f.second);
            burst.add(f);
        }
        int grown = table.capacity();
        assertThat(grown).isGreaterThanOrEqualTo(2 * 2 * 20_000);
        Flow kept = burst.get(12_345);
        for (Flow f : burst) {
            if (f != kept) {
                table.remove(f.first);
                table.remove(f.second);
            }
        }
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.capacity()).isLessThanOrEqualTo(64); // back to where it started, not 80,000 slots
        assertThat(table.get(kept.first.sender, server, FlowTable.hash(kept.first.sender, server))).isSameAs(kept.first);
        assertThat(table.get(server, kept.first.sender, FlowTable.hash(server, kept.first.sender))).isSameAs(kept.second);
    }
}
