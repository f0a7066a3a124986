package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bytes the capture does not have: reported once, on their direction, and never decoded wrongly. */
class ReassemblyGapTest {
    private static final String CLIENT = "127.0.0.1:53122";
    private static final String SERVER = "127.0.0.1:5555";
    private static final int HANDSHAKE_IN = 64 + ReqRep.CLIENT_READY.length;
    private static final int HANDSHAKE_OUT = 64 + ReqRep.SERVER_READY.length;
    private static final Instant END = TcpConversation.T0.plusSeconds(9);

    /** The notice of a direction that found no boundary to trust after its gap before it ended. */
    private static String neverSynced(String side, long bytes, long from) {
        return "c1 notice WARNING " + side + ": no frame boundary could be trusted after the gap, so its " + bytes
                + " bytes from byte " + from + " on were counted, not decoded";
    }

    private static List<String> handshakes() {
        return List.of(
                "c1 in ready REQ 3.1 identity \"abc\"",
                "c1 out ready REP 3.1 identity null",
                "c1 OPENED " + CLIENT + " -> " + SERVER + " REQ -> REP in 0 msgs " + HANDSHAKE_IN + " B out 0 msgs "
                        + HANDSHAKE_OUT + " B");
    }

    @Test
    void aLostRequestIsReportedWhenTheServerAcknowledgesItAndTheClientsSideWaitsForATrustedBoundary() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.Script script = ReqRep.script(c, 100);
        TcpSegment request3 = script.turns().get(8).remove(0); // the capture dropped it; the server got it
        TcpSegment reply6 = script.turns().get(9).get(0);

        Reassembly r = new Reassembly().feed(script.all());

        List<String> expected = new ArrayList<>(handshakes());
        expected.add("c1 notice WARNING " + request3.payloadLength() + " bytes from the client not captured at byte "
                + HANDSHAKE_IN + ": decoding resumes where a frame boundary can be trusted again");
        expected.add("c1 out #1 \"abc\" [\"\", \"6\"]");
        expected.add("c1 out #2 \"abc\" [\"\", \"8\"]");
        // one request after the gap: a single segment start is not enough to trust a boundary
        expected.add(neverSynced("client \u2192 server", ReqRep.REQUEST_4.length, HANDSHAKE_IN + ReqRep.REQUEST_3.length));
        expected.add(ReqRep.closed("c1", CLIENT, SERVER, 0, ReqRep.CLIENT_BYTES, 2, ReqRep.SERVER_BYTES));
        assertThat(r.lines()).containsExactlyElementsOf(expected);
        assertThat(r.events.get(3).time()).as("found by the reply's ACK").isEqualTo(reply6.time());
        assertThat(r.counters().gaps()).isEqualTo(1);
        assertThat(r.counters().heldBytes()).isZero();
    }

    @Test
    void aLostSegmentFollowedByMoreDataIsReportedAndNoMessageIsMadeOfWhatFollowsIt() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.Script script = ReqRep.script(c, 3);
        script.turns().get(8).remove(1); // the middle of "3": the bytes after it must not become a message

        Reassembly r = new Reassembly().feed(script.all());

        assertThat(r.events).filteredOn(e -> e instanceof MessageEvent).extracting(Reassembly::line)
                .containsExactly("c1 out #1 \"abc\" [\"\", \"6\"]", "c1 out #2 \"abc\" [\"\", \"8\"]");
        assertThat(r.lines()).contains("c1 notice WARNING 2 bytes from the client not captured at byte " + (HANDSHAKE_IN + 3)
                + ": decoding resumes where a frame boundary can be trusted again");
        assertThat(r.lines()).contains(neverSynced("client \u2192 server", ReqRep.REQUEST_4.length, HANDSHAKE_IN + ReqRep.REQUEST_3.length));
        assertThat(r.lines()).last().isEqualTo(ReqRep.closed("c1", CLIENT, SERVER, 0, ReqRep.CLIENT_BYTES, 2, ReqRep.SERVER_BYTES));
    }

    @Test
    void aLostSegmentAtTheEndIsReportedWhenTheCaptureEnds() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        List<TcpSegment> all = new ArrayList<>(ReqRep.handshake(c));
        ReqRep.greetings(c, 100).forEach(all::addAll);
        all.addAll(c.client(ReqRep.REQUEST_3));
        all.addAll(c.server(ReqRep.REPLY_6));
        List<TcpSegment> request4 = c.client(ReqRep.REQUEST_4, 2); // the last request, in two segments: the first lost
        all.add(request4.get(1));

        Reassembly r = new Reassembly().feed(all);
        assertThat(r.counters().heldBytes()).isEqualTo(request4.get(1).payloadLength() + HalfStream.PIECE_OVERHEAD);
        r.finish(END);

        assertThat(r.lines().subList(5, r.lines().size())).containsExactly(
                "c1 notice WARNING 2 bytes from the client not captured at byte " + (HANDSHAKE_IN + ReqRep.REQUEST_3.length)
                        + ": decoding resumes where a frame boundary can be trusted again",
                neverSynced("client \u2192 server", 3, HANDSHAKE_IN + ReqRep.REQUEST_3.length + 2),
                ReqRep.closed("c1", CLIENT, SERVER, 1, ReqRep.CLIENT_BYTES, 1, HANDSHAKE_OUT + ReqRep.REPLY_6.length));
        assertThat(r.events.get(5).time()).isEqualTo(END);
    }

    @Test
    void aResetWithBytesStillMissingReportsThemBeforeTheClose() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        List<TcpSegment> all = new ArrayList<>(ReqRep.handshake(c));
        ReqRep.greetings(c, 100).forEach(all::addAll);
        List<TcpSegment> request = c.client(ReqRep.REQUEST_3, 1); // its first byte lost
        all.add(request.get(1));
        TcpSegment rst = c.clientRst();
        all.add(rst);

        Reassembly r = new Reassembly().feed(all);

        List<String> expected = new ArrayList<>(handshakes());
        expected.add("c1 notice WARNING 1 bytes from the client not captured at byte " + HANDSHAKE_IN
                + ": decoding resumes where a frame boundary can be trusted again");
        expected.add(neverSynced("client \u2192 server", ReqRep.REQUEST_3.length - 1, HANDSHAKE_IN + 1));
        expected.add(ReqRep.closed("c1", CLIENT, SERVER, 0, HANDSHAKE_IN + ReqRep.REQUEST_3.length, 0, HANDSHAKE_OUT));
        assertThat(r.lines()).containsExactlyElementsOf(expected);
        assertThat(r.events.get(3).time()).isEqualTo(rst.time());
        assertThat(r.counters().heldBytes()).isZero();
    }

    @Test
    void aFinAfterALostSegmentEndsTheDirectionOnceTheGapIsKnown() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        List<TcpSegment> all = new ArrayList<>(ReqRep.handshake(c));
        ReqRep.greetings(c, 100).forEach(all::addAll);
        c.client(ReqRep.REQUEST_3); // lost
        all.add(c.clientFin());
        all.add(c.serverFin()); // acknowledges the request and the FIN: the request is lost for good
        all.add(c.ack());

        Reassembly r = new Reassembly().feed(all);

        assertThat(r.lines()).containsExactly(
                handshakes().get(0), handshakes().get(1), handshakes().get(2),
                "c1 notice WARNING " + ReqRep.REQUEST_3.length + " bytes from the client not captured at byte " + HANDSHAKE_IN
                        + ": decoding resumes where a frame boundary can be trusted again",
                ReqRep.closed("c1", CLIENT, SERVER, 0, HANDSHAKE_IN + ReqRep.REQUEST_3.length, 0, HANDSHAKE_OUT));
        assertThat(r.events.get(4).time()).as("closed at the server's FIN").isEqualTo(all.get(all.size() - 2).time());
    }

    @Test
    void aSegmentCutByTheSnapLengthIsAGapAtTheCut() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.Script script = ReqRep.script(c, 100);
        List<TcpSegment> reply6 = script.turns().get(9);
        reply6.set(0, TcpConversation.cut(reply6.get(0), 2)); // flags and size of the empty frame, not the rest

        Reassembly r = new Reassembly().feed(script.all());

        List<String> expected = new ArrayList<>(handshakes());
        expected.add("c1 in #1 \"abc\" [\"\", \"3\"]");
        expected.add("c1 notice WARNING " + (ReqRep.REPLY_6.length - 2) + " bytes from the server not captured at byte "
                + (HANDSHAKE_OUT + 2) + ": decoding resumes where a frame boundary can be trusted again");
        expected.add("c1 in #2 \"abc\" [\"\", \"4\"]");
        expected.add(neverSynced("server \u2192 client", ReqRep.REPLY_8.length, HANDSHAKE_OUT + ReqRep.REPLY_6.length));
        expected.add(ReqRep.closed("c1", CLIENT, SERVER, 2, ReqRep.CLIENT_BYTES, 0, ReqRep.SERVER_BYTES));
        assertThat(r.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void aFloodOfDataAheadOfAHoleIsCappedPerDirectionAndBecomesAGap() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        List<TcpSegment> all = new ArrayList<>(ReqRep.handshake(c));
        ReqRep.greetings(c, 100).forEach(all::addAll);
        List<TcpSegment> flood = c.client(new byte[100 * 100], sizes(100, 100)); // the first one lost, the server silent
        all.addAll(flood.subList(1, flood.size()));

        int bound = 10 * (100 + HalfStream.PIECE_OVERHEAD) + 24; // ten held segments, not eleven
        Reassembly r = new Reassembly(TcpReassembler.Options.defaults().withMaxHeld(bound, 1 << 20)).feed(all);

        assertThat(r.counters().peakHeldBytes()).isLessThanOrEqualTo(bound);
        assertThat(r.counters().heldBytes()).isZero();
        assertThat(r.counters().gaps()).isEqualTo(1);
        NoticeEvent gap = (NoticeEvent) r.events.get(3);
        assertThat(gap.text()).isEqualTo("100 bytes from the client not captured at byte " + HANDSHAKE_IN
                + ": decoding resumes where a frame boundary can be trusted again");
        assertThat(gap.time()).as("the segment that would have passed the bound").isEqualTo(flood.get(11).time());
    }

    @Test
    void theBoundOverAllFlowsMakesTheBiggestHolderGiveUpItsHoleNotTheOneThatAsks() {
        int piece = 100 + HalfStream.PIECE_OVERHEAD; // what each held segment counts
        Reassembly r = new Reassembly(TcpReassembler.Options.defaults().withMaxHeld(10 * piece, 15 * piece));
        List<List<TcpSegment>> floods = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TcpConversation c = new TcpConversation(new InetSocketAddress("127.0.0.1", 50000 + i), new InetSocketAddress("127.0.0.1", 5555),
                    1, 2, TcpConversation.T0);
            List<TcpSegment> all = new ArrayList<>(ReqRep.handshake(c));
            ReqRep.greetings(c, 100).forEach(all::addAll);
            r.feed(all);
            floods.add(c.client(new byte[900], sizes(9, 100)));
        }
        r.feed(floods.get(0).subList(1, 9)); // c1 holds 8 pieces
        r.feed(floods.get(1).subList(1, 9)); // c2 would go past 15 at its 8th segment: c1 holds more, c1 gives up

        assertThat(r.counters().gaps()).isEqualTo(1);
        assertThat(r.events).filteredOn(e -> e instanceof NoticeEvent).extracting(e -> e.conn()).containsExactly("c1");
        assertThat(r.counters().heldBytes()).isEqualTo(8 * piece); // c2's
        assertThat(r.counters().peakHeldBytes()).isLessThanOrEqualTo(15 * piece);

        r.feed(floods.get(1).get(0)); // c2's hole filled: everything it held goes on
        assertThat(r.counters().heldBytes()).isZero();
        assertThat(r.counters().gaps()).isEqualTo(1);
    }

    private static int[] sizes(int count, int size) {
        int[] sizes = new int[count];
        java.util.Arrays.fill(sizes, size);
        return sizes;
    }
}
