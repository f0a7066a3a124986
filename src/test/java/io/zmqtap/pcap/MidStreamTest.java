package io.zmqtap.pcap;

import io.zmqtap.testing.ZmtpBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.NoticeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Connections already open when the capture started: no SYN, so who is the client has to be worked out. */
class MidStreamTest {
    private static final Instant END = TcpConversation.T0.plusSeconds(9);

    private static String joined(String client, String server, String why) {
        return "c1 notice INFO joined mid-stream (no SYN captured): " + client + " taken as the client and " + server
                + " as the server, by " + why;
    }

    @Test
    void aCaptureThatMissedOnlyTheSynReadsTheGreetingsAndTakesTheLowerPortAsTheServer() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.handshake(c); // not captured
        List<TcpSegment> rest = new ArrayList<>(ReqRep.zmtp(c));
        rest.addAll(ReqRep.close(c));

        Reassembly r = new Reassembly().feed(rest);

        List<String> expected = new ArrayList<>();
        expected.add(joined("127.0.0.1:53122", "127.0.0.1:5555", "the lower port"));
        expected.addAll(ReqRep.events("c1", "127.0.0.1:53122", "127.0.0.1:5555", 1));
        assertThat(r.lines()).containsExactlyElementsOf(expected);
        assertThat(((NoticeEvent) r.events.get(0)).level()).isEqualTo(NoticeEvent.Level.INFO);
        assertThat(r.counters().gaps()).isZero();
    }

    @Test
    void theServerPortGivenBeatsTheLowerPort() {
        TcpConversation c = TcpConversation.loopback(5000, 40000); // the client has the lower port
        ReqRep.handshake(c);
        List<TcpSegment> rest = new ArrayList<>(ReqRep.zmtp(c));
        rest.addAll(ReqRep.close(c));

        Reassembly r = new Reassembly(TcpReassembler.Options.defaults().withServerPort(40000)).feed(rest);

        List<String> expected = new ArrayList<>();
        expected.add(joined("127.0.0.1:5000", "127.0.0.1:40000", "the server port given"));
        expected.addAll(ReqRep.events("c1", "127.0.0.1:5000", "127.0.0.1:40000", 1));
        assertThat(r.lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void aPlainGreetingsAsServerFlagNamesTheServer() {
        TcpConversation c = TcpConversation.loopback(5000, 40000);
        ReqRep.handshake(c);
        List<TcpSegment> rest = new ArrayList<>();
        byte[] client = new ZmtpBytes().greeting(1, "PLAIN", false).bytes();
        byte[] server = new ZmtpBytes().greeting(1, "PLAIN", true).bytes();
        rest.addAll(c.client(ReqRep.slice(client, 0, 10)));
        rest.addAll(c.server(ReqRep.slice(server, 0, 10)));
        rest.addAll(c.client(ReqRep.slice(client, 10, 11)));
        rest.addAll(c.server(ReqRep.slice(server, 10, 64)));
        rest.addAll(c.client(ReqRep.slice(client, 11, 64)));
        rest.addAll(ReqRep.close(c));

        Reassembly r = new Reassembly().feed(rest);

        assertThat(r.lines().get(0)).isEqualTo(joined("127.0.0.1:5000", "127.0.0.1:40000", "its greeting's as-server flag"));
        assertThat(r.events).last().isInstanceOfSatisfying(ConnectionEvent.class, e -> {
            assertThat(e.kind()).isEqualTo(ConnectionEvent.Kind.CLOSED);
            assertThat(e.client()).isEqualTo("127.0.0.1:5000");
            assertThat(e.upstream()).isEqualTo("127.0.0.1:40000");
            assertThat(e.mechanism()).isEqualTo("PLAIN");
            assertThat(e.bytesIn()).isEqualTo(64);
            assertThat(e.bytesOut()).isEqualTo(64);
        });
    }

    @Test
    void aConnectionJoinedAfterItsGreetingsIsDecodedWhenItsPortIsGivenAndSaysSoFirst() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.handshake(c);
        ReqRep.greetings(c, 100); // before the capture
        List<TcpSegment> rest = new ArrayList<>();
        ReqRep.messages(c, 100).forEach(rest::addAll);
        rest.addAll(ReqRep.close(c));

        Reassembly r = new Reassembly(TcpReassembler.Options.defaults().withServerPort(5555)).feed(rest);

        assertThat(r.lines().get(0)).isEqualTo(joined("127.0.0.1:53122", "127.0.0.1:5555", "the server port given"));
        assertThat(r.events).allSatisfy(e -> assertThat(e.conn()).isEqualTo("c1"));
        assertThat(r.events).last().isInstanceOfSatisfying(ConnectionEvent.class, e -> {
            assertThat(e.kind()).isEqualTo(ConnectionEvent.Kind.CLOSED);
            assertThat(e.client()).isEqualTo("127.0.0.1:53122");
            assertThat(e.upstream()).isEqualTo("127.0.0.1:5555");
            assertThat(e.bytesIn()).isEqualTo(2L * ReqRep.REQUEST_3.length);
            assertThat(e.bytesOut()).isEqualTo(2L * ReqRep.REPLY_6.length);
        });
    }

    @Test
    void aConnectionJoinedAfterItsGreetingsIsDecodedFromTheFirstWholeMessageAfterATrustedBoundary() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.handshake(c);
        ReqRep.greetings(c, 100); // before the capture
        List<TcpSegment> rest = new ArrayList<>();
        for (String n : List.of("1", "2", "3", "4")) { // one segment per message, as libzmq sends them
            rest.addAll(c.client(new ZmtpBytes().message("", n).bytes()));
            rest.addAll(c.server(new ZmtpBytes().message("", n + n).bytes()));
        }
        rest.addAll(ReqRep.close(c));

        Reassembly r = new Reassembly(TcpReassembler.Options.defaults().withServerPort(5555)).feed(rest);

        assertThat(r.lines()).containsExactly(
                joined("127.0.0.1:53122", "127.0.0.1:5555", "the server port given"),
                "c1 notice INFO client \u2192 server decoded from the first whole message after byte 5, the first frame"
                        + " boundary trusted after joining mid-stream; the 5 bytes before it were skipped",
                "c1 OPENED 127.0.0.1:53122 -> 127.0.0.1:5555 null -> null in 1 msgs 15 B out 0 msgs 12 B",
                "c1 in #1 null [\"\", \"3\"]",
                "c1 notice INFO server \u2192 client decoded from the first whole message after byte 6, the first frame"
                        + " boundary trusted after joining mid-stream; the 6 bytes before it were skipped",
                "c1 out #2 null [\"\", \"33\"]",
                "c1 in #3 null [\"\", \"4\"]",
                "c1 out #4 null [\"\", \"44\"]",
                "c1 CLOSED 127.0.0.1:53122 -> 127.0.0.1:5555 null -> null in 2 msgs 20 B out 2 msgs 24 B");
    }

    @Test
    void aZeroMqPortGivenMakesAFlowJoinedMidStreamZeroMqAndNamesItsServer() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.handshake(c);
        ReqRep.greetings(c, 100);
        List<TcpSegment> rest = new ArrayList<>();
        ReqRep.messages(c, 100).forEach(rest::addAll);

        Reassembly r = new Reassembly(TcpReassembler.Options.defaults().withZeromqPorts(Set.of(5555))).feed(rest).finish(END);

        assertThat(r.lines().get(0)).isEqualTo(joined("127.0.0.1:53122", "127.0.0.1:5555", "the ZeroMQ port given"));
        assertThat(r.counters().zeromqFlows()).isEqualTo(1);
    }

    @Test
    void withoutAGreetingOrAPortAFlowJoinedMidStreamIsIgnored() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.handshake(c);
        ReqRep.greetings(c, 100);
        List<TcpSegment> rest = new ArrayList<>();
        ReqRep.messages(c, 100).forEach(rest::addAll);
        rest.addAll(ReqRep.close(c));

        Reassembly r = new Reassembly().feed(rest).finish(END);

        assertThat(r.lines()).as("only the summary at the end, which says how to decode it").containsExactly(
                "null notice WARNING 1 TCP connection was not decoded: it started before the capture (no SYN, no greeting)"
                        + " on port 5555 (1) — give --port PORT to decode a ZeroMQ port joined mid-stream");
        assertThat(r.counters().ignoredFlows()).isEqualTo(1);
        assertThat(r.counters().heldBytes()).isZero();
    }

    @Test
    void aBareAckBeforeAnyDataDoesNotStartTheStream() {
        TcpConversation c = TcpConversation.loopback(53122, 5555);
        ReqRep.handshake(c);
        TcpSegment keepalive = c.ack();
        keepalive = new TcpSegment(keepalive.time(), keepalive.source(), keepalive.destination(), keepalive.seq() - 1,
                keepalive.ack(), false, false, false, true, keepalive.payload(), 0, 0); // a keepalive probe: one before the next byte
        List<TcpSegment> rest = new ArrayList<>(List.of(keepalive));
        rest.addAll(ReqRep.zmtp(c));
        rest.addAll(ReqRep.close(c));

        Reassembly r = new Reassembly().feed(rest);

        List<CaptureEvent> events = r.events.subList(1, r.events.size());
        assertThat(Reassembly.lines(events)).containsExactlyElementsOf(ReqRep.events("c1", "127.0.0.1:53122", "127.0.0.1:5555", 1));
        assertThat(r.counters().gaps()).isZero();
    }
}
