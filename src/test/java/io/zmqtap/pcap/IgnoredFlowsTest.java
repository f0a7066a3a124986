package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.testing.ZmtpBytes;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The flows that were not decoded are told in one notice when the capture ends: how many started
 * before the capture (on which ports, and that {@code --port} decodes them) and how many are not
 * ZeroMQ, however many flows there were.
 */
class IgnoredFlowsTest {
    private static final Instant END = TcpConversation.T0.plusSeconds(30);

    /** A ZeroMQ connection the capture joined after its SYN and greetings: a request, then its reply. */
    private static List<TcpSegment> joinedLate(int clientPort, int serverPort, int i) {
        TcpConversation c = new TcpConversation(new InetSocketAddress("10.0.1." + (i % 250 + 1), clientPort),
                new InetSocketAddress("10.0.0.2", serverPort), 1000L * i, 7000L * i, TcpConversation.T0);
        List<TcpSegment> seen = new ArrayList<>(c.client(new ZmtpBytes().message("", "request").bytes()));
        seen.addAll(c.server(new ZmtpBytes().message("", "reply").bytes()));
        return seen;
    }

    /** An HTTP exchange, SYN and all. */
    private static List<TcpSegment> http(int clientPort, int i) {
        TcpConversation c = new TcpConversation(new InetSocketAddress("10.0.2." + (i % 250 + 1), clientPort),
                new InetSocketAddress("10.0.0.3", 80), 1000L * i, 7000L * i, TcpConversation.T0);
        List<TcpSegment> all = new ArrayList<>(ReqRep.handshake(c));
        all.addAll(c.client(ZmtpBytes.ascii("GET / HTTP/1.1\r\n\r\n")));
        all.addAll(c.server(ZmtpBytes.ascii("HTTP/1.1 204 No Content\r\n\r\n")));
        return all;
    }

    private static List<NoticeEvent> summaries(List<CaptureEvent> events) {
        return events.stream().filter(e -> e instanceof NoticeEvent n && n.text().contains(" TCP connection"))
                .map(e -> (NoticeEvent) e).toList();
    }

    @Test
    void thousandsOfFlowsNotDecodedAreOneNoticeAtTheEndNamingTheBusiestPortsJoinedMidStream() {
        Reassembly r = new Reassembly();
        int[] ports = {5555, 5555, 5555, 5556, 5556, 5557, 5558, 5559, 5560, 5561}; // 5555 busiest, then 5556
        for (int i = 0; i < 3000; i++) {
            r.feed(joinedLate(30000 + i, ports[i % ports.length], i));
            r.feed(http(40000 + i, i));
        }
        assertThat(summaries(r.events)).as("nothing before the capture ends").isEmpty();

        r.finish(END);

        assertThat(r.counters().ignoredFlows()).isEqualTo(6000);
        assertThat(summaries(r.events)).singleElement().satisfies(n -> {
            assertThat(n.conn()).isNull();
            assertThat(n.time()).isEqualTo(END);
            assertThat(n.level()).isEqualTo(NoticeEvent.Level.WARNING);
            assertThat(n.text()).isEqualTo("6000 TCP connections were not decoded: 3000 of them started before the capture"
                    + " (no SYN, no greeting) on ports 5555 (900), 5556 (600), 5557 (300), 5558 (300), 5559 (300) and 2 more"
                    + " — give --port PORT to decode a ZeroMQ port joined mid-stream; 3000 others are not ZeroMQ (their first"
                    + " bytes are no ZMTP greeting)");
        });
        assertThat(r.events).as("nothing else about them").hasSize(1);

        r.finish(END);
        assertThat(summaries(r.events)).as("told once").hasSize(1);
    }

    @Test
    void flowsThatAreNotZeromqAloneAreInformation() {
        Reassembly r = new Reassembly().feed(http(40000, 1)).finish(END);

        assertThat(summaries(r.events)).singleElement().satisfies(n -> {
            assertThat(n.level()).isEqualTo(NoticeEvent.Level.INFO);
            assertThat(n.text()).isEqualTo("1 TCP connection was not decoded: it is not ZeroMQ (its first bytes are no ZMTP greeting)");
        });
    }

    @Test
    void aPortGivenIsDecodedAndNotCountedAndADecodedCaptureHasNoSummary() {
        Reassembly r = new Reassembly(TcpReassembler.Options.defaults().withZeromqPorts(Set.of(5555)))
                .feed(joinedLate(30000, 5555, 1)).feed(joinedLate(30001, 6000, 2)).finish(END);
        assertThat(summaries(r.events)).singleElement().satisfies(n -> assertThat(n.text()).isEqualTo(
                "1 TCP connection was not decoded: it started before the capture (no SYN, no greeting) on port 6000 (1)"
                        + " — give --port PORT to decode a ZeroMQ port joined mid-stream"));

        Reassembly decoded = new Reassembly().feed(ReqRep.all(TcpConversation.loopback(53122, 5555))).finish(END);
        assertThat(summaries(decoded.events)).isEmpty();
    }

    @Test
    void portsPastTheOnesTrackedAreCountedWithoutTheirNumbers() {
        IgnoredFlows ignored = new IgnoredFlows();
        for (int port = 1; port <= IgnoredFlows.PORTS_TRACKED + 10; port++) {
            ignored.add(true, 60000, port);
        }
        ignored.add(true, 60000, 7);
        assertThat(ignored.summary()).startsWith((IgnoredFlows.PORTS_TRACKED + 11) + " TCP connections were not decoded: they"
                + " started before the capture (no SYN, no greeting) on ports 7 (2), 1 (1), 2 (1), 3 (1), 4 (1) and "
                + (IgnoredFlows.PORTS_TRACKED - 5) + "+ more — give");
    }
}
