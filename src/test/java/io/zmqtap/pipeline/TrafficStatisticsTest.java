package io.zmqtap.pipeline;

import static io.zmqtap.event.Direction.IN;
import static io.zmqtap.event.Direction.OUT;
import static io.zmqtap.event.Direction.UNKNOWN;
import static io.zmqtap.pipeline.Events.onConn;
import static io.zmqtap.pipeline.Events.routed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.Frame;
import io.zmqtap.event.StatisticsEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficStatisticsTest {
    private final TrafficStatistics stats = new TrafficStatistics(10_000);

    @Test
    void percentilesComeFromTheRepliesLatencies() {
        for (int i = 1; i <= 100; i++) { // 1 µs .. 100 µs
            stats.record(routed(2 * i, 0, OUT, "a", "", "r").withReply(2 * i - 1, i * 1000L));
        }
        StatisticsEvent.Latency l = stats.peers().get(0).latency();
        assertThat(l.count()).isEqualTo(100);
        // HdrHistogram with 2 significant digits: within 1 %
        assertThat(l.p50Nanos()).isCloseTo(50_000, within(500L));
        assertThat(l.p90Nanos()).isCloseTo(90_000, within(900L));
        assertThat(l.p99Nanos()).isCloseTo(99_000, within(990L));
        assertThat(l.maxNanos()).isCloseTo(100_000, within(1_000L));
    }

    @Test
    void peersAreConnectionsOrElseIdentitiesWithMessagesAndBytesEachWay() {
        stats.record(onConn("c1", 1, 0, IN, "", "hello"));           // 5 B
        stats.record(onConn("c1", 2, 1, OUT, "", "hi").withReply(1, 1000)); // 2 B
        stats.record(routed(3, 2, IN, "client_a", "", "1234"));     // 8 + 4 B
        stats.record(routed(4, 3, IN, "client_a", "", "5"));        // 8 + 1 B

        List<StatisticsEvent.Peer> peers = stats.peers();
        assertThat(peers).hasSize(2);
        StatisticsEvent.Peer c1 = peers.get(0);
        assertThat(c1.role()).isEqualTo("client");
        assertThat(c1.conn()).isEqualTo("c1");
        assertThat(List.of(c1.messagesIn(), c1.messagesOut(), c1.bytesIn(), c1.bytesOut())).containsExactly(1L, 1L, 5L, 2L);
        assertThat(c1.latency().count()).isEqualTo(1);
        StatisticsEvent.Peer a = peers.get(1);
        assertThat(a.conn()).isNull();
        assertThat(a.identity()).isEqualTo(Frame.of("client_a"));
        assertThat(List.of(a.messagesIn(), a.messagesOut(), a.bytesIn(), a.bytesOut())).containsExactly(2L, 0L, 21L, 0L);
        assertThat(a.latency()).isEqualTo(StatisticsEvent.Latency.NONE);
        assertThat(List.of(stats.messages(), stats.messagesIn(), stats.messagesOut())).containsExactly(4L, 3L, 1L);
    }

    @Test
    void peersBeyondTheCapAreSummedAsOne() {
        TrafficStatistics small = new TrafficStatistics(2);
        for (int i = 0; i < 5; i++) {
            small.record(routed(i + 1, i, IN, "client" + i, "", "x"));
            small.record(routed(i + 1, i, OUT, "client" + i, "", "x").withReply(i, 1000));
        }
        List<StatisticsEvent.Peer> peers = small.peers();
        assertThat(peers).extracting(StatisticsEvent.Peer::conn).containsExactly(null, null, TrafficStatistics.OTHER);
        // the summed peers' identities are many: none is shown
        assertThat(peers).extracting(StatisticsEvent.Peer::identity)
                .containsExactly(Frame.of("client0"), Frame.of("client1"), null);
        StatisticsEvent.Peer other = peers.get(2);
        assertThat(other.messagesIn()).isEqualTo(3);
        assertThat(other.messagesOut()).isEqualTo(3);
        assertThat(other.latency().count()).isEqualTo(3);
        assertThat(other.counters()).containsEntry("peers", 2L); // counted up to the cap
    }

    @Test
    void equalConnectionNamesOfOtherInstancesAreOnePeerAndEachPeerBeyondTheCapCountsOnce() {
        TrafficStatistics small = new TrafficStatistics(1);
        for (int round = 0; round < 3; round++) {
            for (int c = 1; c <= 4; c++) {
                small.record(onConn(new String("c" + c), 1, 0, IN, "", "x")); // a name made anew each time
            }
        }
        List<StatisticsEvent.Peer> peers = small.peers();
        assertThat(peers).extracting(StatisticsEvent.Peer::conn).containsExactly("c1", TrafficStatistics.OTHER);
        assertThat(peers.get(0).messagesIn()).isEqualTo(3);
        assertThat(peers.get(1).messagesIn()).isEqualTo(9);
        assertThat(peers.get(1).counters()).containsEntry("peers", 1L); // c2 only: counted up to the cap, once
    }

    @Test
    void rawMessagesCountOnlyAsMessagesAndCommandsApart() {
        stats.record(new io.zmqtap.event.MessageEvent(Events.at(0), Events.QUEUE, null, 1, UNKNOWN, null,
                List.of(Frame.of("raw")), false));
        stats.record(new CommandEvent(Events.at(0), Events.TAP, "c1", IN, "SUBSCRIBE", Frame.of("t"), ""));
        assertThat(List.of(stats.messages(), stats.messagesIn(), stats.messagesOut(), stats.commands()))
                .containsExactly(1L, 0L, 0L, 1L);
        assertThat(stats.peers()).isEmpty();
    }
}
