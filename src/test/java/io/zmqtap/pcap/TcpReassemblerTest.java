package io.zmqtap.pcap;

import io.zmqtap.testing.ZmtpBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.MessageEvent;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Segments of whole conversations, in order and not, through the reassembler into the dissector. */
class TcpReassemblerTest {
    private static final String CLIENT = "127.0.0.1:53122";
    private static final String SERVER = "127.0.0.1:5555";
    private static final List<String> REQ_REP = ReqRep.events("c1", CLIENT, SERVER, 1);

    @Test
    void aConversationInOrderReadsAsTheDissectorsEventsWithTheTimesOfItsSegments() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        List<TcpSegment> all = ReqRep.all(c);

        Reassembly r = new Reassembly().feed(all);

        assertThat(r.lines()).containsExactlyElementsOf(REQ_REP);
        TcpSegment request3 = all.get(3 + 8);
        assertThat(r.events.get(3).time()).isEqualTo(request3.time());
        assertThat(r.events.get(7).time()).as("closed by the server's FIN").isEqualTo(all.get(all.size() - 2).time());
        assertThat(r.counters().counters()).containsExactly(
                entry("segments", 18), entry("bytes", ReqRep.CLIENT_BYTES + ReqRep.SERVER_BYTES), entry("flows", 1),
                entry("zeromq_flows", 1), entry("ignored_flows", 0), entry("gaps", 0), entry("retransmitted_bytes", 0),
                entry("out_of_order_segments", 0), entry("held_bytes", 0), entry("peak_held_bytes", 10 + HalfStream.PIECE_OVERHEAD)); // the first greeting piece, read while pending
    }

    private static java.util.Map.Entry<String, Long> entry(String name, long n) {
        return java.util.Map.entry(name, n);
    }

    @Test
    void withItsPortGivenAConnectionInOrderIsDecodedWithoutHoldingAByte() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);

        Reassembly r = new Reassembly(TcpReassembler.Options.defaults().withServerPort(5555)).feed(ReqRep.all(c));

        assertThat(r.lines()).containsExactlyElementsOf(REQ_REP);
        assertThat(r.counters().peakHeldBytes()).isZero();
    }

    @Test
    void segmentsReorderedWithinEachTurnReadTheSameAndCarryTheTimeOfTheSegmentThatCompletedThem() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.Script script = ReqRep.script(c, 3);
        List<List<TcpSegment>> turns = script.turns();
        turns.forEach(Collections::reverse);

        Reassembly r = new Reassembly().feed(script.all());

        assertThat(r.lines()).containsExactlyElementsOf(REQ_REP);
        List<TcpSegment> request3 = turns.get(8);
        MessageEvent first = (MessageEvent) r.events.get(3);
        assertThat(first.time()).as("the request's first segment, fed last").isEqualTo(request3.get(request3.size() - 1).time());
        assertThat(r.counters().outOfOrderSegments()).isPositive();
        assertThat(r.counters().heldBytes()).isZero();
        assertThat(r.counters().gaps()).isZero();
    }

    @Test
    void duplicatedSegmentsAndWholeTurnsSentAgainAreDroppedAndCounted() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.Script script = ReqRep.script(c, 5);
        List<List<TcpSegment>> turns = List.copyOf(script.turns());
        List<List<TcpSegment>> doubled = script.turns();
        for (int t = 0; t < turns.size(); t++) {
            List<TcpSegment> turn = new ArrayList<>();
            for (TcpSegment s : turns.get(t)) {
                turn.add(s);
                turn.add(s);
            }
            if (t >= 2) {
                turn.addAll(turns.get(t - 2)); // the same end's previous turn, again
            }
            doubled.set(t, turn);
        }

        Reassembly r = new Reassembly().feed(script.all());

        assertThat(r.lines()).containsExactlyElementsOf(REQ_REP);
        long sent = ReqRep.CLIENT_BYTES + ReqRep.SERVER_BYTES;
        long again = 2 * sent - bytesOf(turns.get(turns.size() - 2)) - bytesOf(turns.get(turns.size() - 1));
        assertThat(r.counters().retransmittedBytes()).isEqualTo(again);
        assertThat(r.counters().bytes()).isEqualTo(sent + again);
    }

    private static long bytesOf(List<TcpSegment> segments) {
        return segments.stream().mapToLong(TcpSegment::payloadLength).sum();
    }

    @Test
    void overlappingSegmentsKeepTheFirstCopyHeldAndPassEachByteOnce() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.Script script = ReqRep.script(c, 4);
        List<TcpSegment> ready = script.turns().get(6); // the client's READY, 4 bytes a segment
        List<TcpSegment> reshuffled = new ArrayList<>();
        reshuffled.add(TcpConversation.repack(ready, 6, 14));  // held first: bytes 6..14, across three segments
        reshuffled.add(TcpConversation.repack(ready, 9, 11));  // wholly inside what is held
        reshuffled.add(TcpConversation.repack(ready, 4, 20));  // around it: only 4..6 and 14..20 are new
        reshuffled.addAll(ready.subList(1, ready.size()));    // all of it again, partly held, partly not
        reshuffled.add(ready.get(0));                          // the hole: now everything goes on
        reshuffled.add(TcpConversation.repack(ready, 0, ready.size() * 4 - 1)); // all again, already passed on
        script.turns().set(6, reshuffled);

        Reassembly r = new Reassembly().feed(script.all());

        assertThat(r.lines()).containsExactlyElementsOf(REQ_REP);
        assertThat(r.counters().heldBytes()).isZero();
        assertThat(r.counters().gaps()).isZero();
    }

    @Test
    void sequenceNumbersWrappingPast2To32ReadTheSame() {
        TcpConversation c = new TcpConversation(new InetSocketAddress("127.0.0.1", 53122), new InetSocketAddress("127.0.0.1", 5555),
                (1L << 32) - 30, (1L << 32) - 70, TcpConversation.T0);
        ReqRep.Script script = ReqRep.script(c, 7);
        script.turns().forEach(Collections::reverse);
        List<TcpSegment> all = script.all();
        assertThat(all).anySatisfy(s -> assertThat(s.seq()).isLessThan(100)); // it did wrap

        Reassembly r = new Reassembly().feed(all);

        assertThat(r.lines()).containsExactlyElementsOf(REQ_REP);
        assertThat(r.counters().gaps()).isZero();
    }

    @Test
    void ipv6ConnectionsAreNamedWithTheirShortAddresses() {
        TcpConversation c = new TcpConversation(new InetSocketAddress("::1", 53122), new InetSocketAddress("2001:db8:0:0:0:0:0:7", 5555),
                7, 9, TcpConversation.T0);

        Reassembly r = new Reassembly().feed(ReqRep.all(c));

        assertThat(r.lines()).containsExactlyElementsOf(ReqRep.events("c1", "[::1]:53122", "[2001:db8::7]:5555", 1));
    }

    @Test
    void manyInterleavedConnectionsAreEachReassembledAndNumberedInOrderOfAppearance() {
        List<List<TcpSegment>> flows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            TcpConversation c = new TcpConversation(new InetSocketAddress("10.0.0." + (i + 1), 40000 + i),
                    new InetSocketAddress("10.0.1.1", 5555), 1000L * i, 7_000_000L * i, TcpConversation.T0);
            ReqRep.Script script = ReqRep.script(c, 9);
            if (i % 2 == 1) {
                script.turns().forEach(Collections::reverse);
            }
            flows.add(script.all());
        }
        List<TcpSegment> interleaved = new ArrayList<>();
        for (int j = 0; j < flows.get(0).size() + 20; j++) {
            for (List<TcpSegment> f : flows) {
                if (j < f.size()) {
                    interleaved.add(f.get(j));
                }
            }
        }

        Reassembly r = new Reassembly().feed(interleaved);

        for (int i = 0; i < 20; i++) {
            String conn = "c" + (i + 1);
            List<String> expected = ReqRep.events(conn, "10.0.0." + (i + 1) + ":" + (40000 + i), "10.0.1.1:5555", 1).stream()
                    .map(TcpReassemblerTest::withoutSeq).toList();
            assertThat(r.events.stream().filter(e -> conn.equals(e.conn())).map(Reassembly::line).map(TcpReassemblerTest::withoutSeq))
                    .as(conn).containsExactlyElementsOf(expected);
        }
        assertThat(r.events).filteredOn(e -> e instanceof MessageEvent).extracting(e -> ((MessageEvent) e).seq())
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 80).boxed().toList());
        assertThat(r.counters().flows()).isEqualTo(20);
    }

    private static String withoutSeq(String line) {
        return line.replaceAll(" #\\d+ ", " # ");
    }

    @Test
    void theSynsSenderIsTheClientWhateverItsPort() {
        TcpConversation c = TcpConversation.loopback(5555, 40000); // the client has the lower port

        Reassembly r = new Reassembly().feed(ReqRep.all(c));

        assertThat(r.lines()).containsExactlyElementsOf(ReqRep.events("c1", "127.0.0.1:5555", "127.0.0.1:40000", 1));
    }

    @Test
    void aCaptureThatStartsAtTheSynAckStillKnowsTheClient() {
        TcpConversation c = TcpConversation.loopback(5555, 40000);
        List<TcpSegment> all = ReqRep.all(c);

        Reassembly r = new Reassembly().feed(all.subList(1, all.size()));

        assertThat(r.lines()).containsExactlyElementsOf(ReqRep.events("c1", "127.0.0.1:5555", "127.0.0.1:40000", 1));
    }

    @Test
    void aFinEachWayClosesTheConnectionAndLateSegmentsDoNotOpenAnother() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        List<TcpSegment> all = new ArrayList<>(ReqRep.all(c));
        all.add(TcpConversation.at(all.get(all.size() - 2), all.get(all.size() - 1).time().plusMillis(1))); // the server's FIN again

        Reassembly r = new Reassembly().feed(all).finish(TcpConversation.T0.plusSeconds(9));

        assertThat(r.lines()).containsExactlyElementsOf(REQ_REP);
        assertThat(r.events.get(r.events.size() - 1).time()).isEqualTo(all.get(all.size() - 3).time());
        assertThat(r.counters().flows()).isEqualTo(1);
    }

    @Test
    void aConnectionStillOpenIsClosedWhenTheCaptureEnds() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        List<TcpSegment> all = new ArrayList<>(ReqRep.handshake(c));
        all.addAll(ReqRep.zmtp(c));
        all.add(c.clientFin()); // the client is done; the server has not closed yet

        Reassembly r = new Reassembly().feed(all).finish(TcpConversation.T0.plusSeconds(9));

        assertThat(r.lines()).containsExactlyElementsOf(REQ_REP);
        assertThat(r.events.get(r.events.size() - 1).time()).isEqualTo(TcpConversation.T0.plusSeconds(9));
    }

    @Test
    void aResetClosesTheConnectionAtOnce() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        List<TcpSegment> all = new ArrayList<>(ReqRep.handshake(c));
        all.addAll(ReqRep.zmtp(c));
        TcpSegment rst = c.clientRst();
        all.add(rst);
        all.add(c.serverAck()); // after the reset: absorbed, not a new flow

        Reassembly r = new Reassembly().feed(all);

        assertThat(r.lines()).containsExactlyElementsOf(REQ_REP);
        assertThat(r.events.get(r.events.size() - 1).time()).isEqualTo(rst.time());
        assertThat(r.counters().flows()).isEqualTo(1);
    }

    @Test
    void aPortUsedAgainAfterACloseStartsANewConnection() {
        TcpConversation first = TcpConversation.loopback(53122, 5555);
        TcpConversation again = new TcpConversation(first.client, first.server, 9_000_000, 3_000_000,
                TcpConversation.T0.plusSeconds(1));

        Reassembly r = new Reassembly().feed(ReqRep.all(first)).feed(ReqRep.all(again));

        List<String> expected = new ArrayList<>(REQ_REP);
        expected.addAll(ReqRep.events("c2", CLIENT, SERVER, 5));
        assertThat(r.lines()).containsExactlyElementsOf(expected);
        assertThat(r.counters().flows()).isEqualTo(2);
    }

    @Test
    void aNewSynOnTheSamePortsEndsAConnectionWhoseCloseWasNotCaptured() {
        TcpConversation first = TcpConversation.loopback(53122, 5555);
        TcpConversation again = new TcpConversation(first.client, first.server, 9_000_000, 3_000_000,
                TcpConversation.T0.plusSeconds(1));
        List<TcpSegment> firstPart = new ArrayList<>(ReqRep.handshake(first));
        firstPart.addAll(ReqRep.zmtp(first));
        List<TcpSegment> second = ReqRep.all(again);

        Reassembly r = new Reassembly().feed(firstPart).feed(second);

        List<String> expected = new ArrayList<>(REQ_REP);
        expected.addAll(ReqRep.events("c2", CLIENT, SERVER, 5));
        assertThat(r.lines()).containsExactlyElementsOf(expected);
        assertThat(r.events.get(7).time()).as("c1 closed by c2's SYN").isEqualTo(second.get(0).time());
    }

    @Test
    void aFlowThatIsNotZeroMqIsIgnoredAndCounted() {
        TcpConversation c = TcpConversation.loopback(53200, 8080);
        List<TcpSegment> all = new ArrayList<>(ReqRep.handshake(c));
        all.addAll(c.client(ZmtpBytes.ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
        all.addAll(c.server(ZmtpBytes.ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")));
        all.addAll(ReqRep.close(c));

        Reassembly r = new Reassembly().feed(all).finish(TcpConversation.T0.plusSeconds(9));

        assertThat(r.lines()).as("only the summary at the end").containsExactly(
                "null notice INFO 1 TCP connection was not decoded: it is not ZeroMQ (its first bytes are no ZMTP greeting)");
        assertThat(r.counters().ignoredFlows()).isEqualTo(1);
        assertThat(r.counters().zeromqFlows()).isZero();
        assertThat(r.counters().heldBytes()).isZero();
    }

    @Test
    void aZeroMqFlowOnAnyPortIsFoundByItsGreetingAndOneOnAGivenPortByThePort() {
        TcpConversation byGreeting = TcpConversation.loopback(53122, 41234);
        TcpConversation byPort = new TcpConversation(new InetSocketAddress("127.0.0.1", 53123), new InetSocketAddress("127.0.0.1", 7000),
                1, 2, TcpConversation.T0);
        List<TcpSegment> b = new ArrayList<>(ReqRep.handshake(byPort));
        b.addAll(byPort.client(ZmtpBytes.ascii("not a greeting")));

        Reassembly r = new Reassembly(TcpReassembler.Options.defaults().withZeromqPorts(Set.of(7000)))
                .feed(ReqRep.all(byGreeting)).feed(b).finish(TcpConversation.T0.plusSeconds(9));

        assertThat(r.lines().subList(0, 8)).containsExactlyElementsOf(ReqRep.events("c1", CLIENT, "127.0.0.1:41234", 1));
        List<CaptureEvent> c2 = r.events.stream().filter(e -> "c2".equals(e.conn())).toList();
        assertThat(c2).last().isInstanceOfSatisfying(ConnectionEvent.class, e -> {
            assertThat(e.client()).isEqualTo("127.0.0.1:53123");
            assertThat(e.upstream()).isEqualTo("127.0.0.1:7000");
            assertThat(e.bytesIn()).isEqualTo(14);
        });
    }
}
