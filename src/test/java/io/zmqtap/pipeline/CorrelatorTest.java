package io.zmqtap.pipeline;

import static io.zmqtap.event.Direction.IN;
import static io.zmqtap.event.Direction.OUT;
import static io.zmqtap.event.Direction.UNKNOWN;
import static io.zmqtap.pipeline.Events.at;
import static io.zmqtap.pipeline.Events.closed;
import static io.zmqtap.pipeline.Events.handshake;
import static io.zmqtap.pipeline.Events.onConn;
import static io.zmqtap.pipeline.Events.routed;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.StatisticsEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorrelatorTest {
    private final Correlator correlator = new Correlator(100_000, 100_000);

    private MessageEvent apply(CaptureEvent e) {
        CaptureEvent out = correlator.apply(e);
        return out instanceof MessageEvent m ? m : null;
    }

    @Test
    void interleavedDealerRequestsPairByEnvelopeAndALostReplyStaysUnanswered() {
        // two DEALER clients through a queue, each numbering its requests in the envelope; both use id "r1"
        apply(routed(1, 0, IN, "client_a", "r1", "", "2"));
        apply(routed(2, 10, IN, "client_b", "r1", "", "3"));
        apply(routed(3, 20, IN, "client_a", "r2", "", "4"));
        apply(routed(4, 30, IN, "client_b", "r2", "", "5"));

        MessageEvent b2 = apply(routed(5, 100, OUT, "client_b", "r2", "", "10"));
        MessageEvent a2 = apply(routed(6, 150, OUT, "client_a", "r2", "", "8"));
        MessageEvent b1 = apply(routed(7, 170, OUT, "client_b", "r1", "", "6"));
        // client_a's r1 never gets its reply

        assertThat(b2.replyTo()).isEqualTo(4);
        assertThat(b2.latencyNanos()).isEqualTo(70_000);
        assertThat(a2.replyTo()).isEqualTo(3);
        assertThat(a2.latencyNanos()).isEqualTo(130_000);
        assertThat(b1.replyTo()).isEqualTo(2);
        assertThat(b1.latencyNanos()).isEqualTo(160_000);
        assertThat(correlator.unanswered()).isEqualTo(1);
        assertThat(correlator.oldestUnanswered())
                .containsExactly(new StatisticsEvent.Pending(null, Frame.of("client_a"), 1, at(0)));
    }

    @Test
    void reqRepThroughAQueuePairsInOrderPerIdentity() {
        apply(routed(1, 0, IN, "a", "", "1"));
        apply(routed(2, 5, IN, "b", "", "2"));
        MessageEvent toB = apply(routed(3, 20, OUT, "b", "", "one"));
        apply(routed(4, 25, IN, "b", "", "3"));
        MessageEvent toA = apply(routed(5, 30, OUT, "a", "", "two"));
        MessageEvent toB2 = apply(routed(6, 40, OUT, "b", "", "three"));

        assertThat(List.of(toB.replyTo(), toA.replyTo(), toB2.replyTo())).containsExactly(2L, 1L, 4L);
        assertThat(toB2.latencyNanos()).isEqualTo(15_000);
        assertThat(correlator.unanswered()).isZero();
    }

    @Test
    void aDealerWithoutEnvelopeIsAnsweredFirstInFirstOut() {
        apply(routed(1, 0, IN, "d", "", "x"));
        apply(routed(2, 1, IN, "d", "", "y"));
        assertThat(apply(routed(3, 2, OUT, "d", "", "X")).replyTo()).isEqualTo(1);
        assertThat(apply(routed(4, 3, OUT, "d", "", "Y")).replyTo()).isEqualTo(2);
    }

    @Test
    void tapConnectionsPairPerConnection() {
        apply(handshake("c1", IN, "REQ"));
        apply(handshake("c1", OUT, "REP"));
        apply(handshake("c2", IN, "DEALER"));
        apply(handshake("c2", OUT, "ROUTER"));
        apply(onConn("c1", 1, 0, IN, "", "hello"));
        apply(onConn("c2", 2, 10, IN, "", "hello"));
        MessageEvent c2 = apply(onConn("c2", 3, 30, OUT, "", "world"));
        MessageEvent c1 = apply(onConn("c1", 4, 50, OUT, "", "world"));

        assertThat(c2.replyTo()).isEqualTo(2);
        assertThat(c2.latencyNanos()).isEqualTo(20_000);
        assertThat(c1.replyTo()).isEqualTo(1);
        assertThat(c1.latencyNanos()).isEqualTo(50_000);
    }

    @Test
    void aDealerRequestIdOnATapPairsExactly() {
        apply(handshake("c1", IN, "DEALER"));
        apply(handshake("c1", OUT, "ROUTER"));
        apply(onConn("c1", 1, 0, IN, "id1", "", "a"));
        apply(onConn("c1", 2, 1, IN, "id2", "", "b"));
        assertThat(apply(onConn("c1", 3, 2, OUT, "id2", "", "B")).replyTo()).isEqualTo(2);
        assertThat(apply(onConn("c1", 4, 3, OUT, "id1", "", "A")).replyTo()).isEqualTo(1);
    }

    @Test
    void publishSubscribeAndUnknownDirectionsAreNeverPaired() {
        apply(handshake("c3", IN, "SUB"));
        apply(handshake("c3", OUT, "PUB"));
        apply(handshake("c4", IN, "PUSH"));
        apply(handshake("c4", OUT, "PULL"));
        apply(onConn("c3", 1, 0, IN, "", "topic"));
        apply(onConn("c4", 2, 0, IN, "", "job"));
        apply(onConn("c5", 3, 0, IN, "", "no handshake"));
        apply(new MessageEvent(at(0), Events.QUEUE, null, 4, UNKNOWN, Frame.of("a"),
                List.of(Frame.of("a"), Frame.EMPTY, Frame.of("raw")), true));

        assertThat(apply(onConn("c3", 5, 1, OUT, "", "topic")).replyTo()).isZero();
        assertThat(apply(onConn("c4", 6, 1, OUT, "", "job")).replyTo()).isZero();
        assertThat(apply(onConn("c5", 7, 1, OUT, "", "no handshake")).replyTo()).isZero();
        MessageEvent raw = apply(new MessageEvent(at(1), Events.QUEUE, null, 8, UNKNOWN, Frame.of("a"),
                List.of(Frame.of("a"), Frame.EMPTY, Frame.of("raw")), true));
        assertThat(raw.replyTo()).isZero();
        assertThat(raw.latencyNanos()).isEqualTo(-1);
        assertThat(correlator.unanswered()).isZero();
        assertThat(correlator.waiting()).isZero();
    }

    @Test
    void theOldestRequestIsEvictedBeyondTheCapAndCountsAsUnanswered() {
        Correlator small = new Correlator(3, 10);
        for (int i = 1; i <= 5; i++) {
            small.apply(routed(i, i, IN, "d", "r" + i, "", "x"));
        }
        assertThat(small.waiting()).isEqualTo(3);
        assertThat(small.evicted()).isEqualTo(2);
        assertThat(small.unanswered()).isEqualTo(5);

        MessageEvent lateForEvicted = (MessageEvent) small.apply(routed(6, 10, OUT, "d", "r1", "", "X"));
        MessageEvent forLast = (MessageEvent) small.apply(routed(7, 11, OUT, "d", "r5", "", "X"));
        assertThat(lateForEvicted.replyTo()).isZero();
        assertThat(forLast.replyTo()).isEqualTo(5);
        assertThat(small.unanswered()).isEqualTo(4);
        assertThat(small.oldestUnanswered()).extracting(StatisticsEvent.Pending::seq).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aClosedConnectionEndsItsRequestsAsUnanswered() {
        apply(handshake("c1", IN, "REQ"));
        apply(handshake("c2", IN, "REQ"));
        apply(onConn("c1", 1, 0, IN, "", "lost"));
        apply(onConn("c2", 2, 1, IN, "", "waiting"));
        apply(closed("c1"));

        assertThat(correlator.unanswered()).isEqualTo(2);
        assertThat(correlator.waiting()).isEqualTo(1);
        assertThat(correlator.oldestUnanswered())
                .containsExactly(new StatisticsEvent.Pending("c1", null, 1, at(0)), new StatisticsEvent.Pending("c2", null, 2, at(1)));
        assertThat(apply(onConn("c1", 3, 2, OUT, "", "too late")).replyTo()).isZero();
        assertThat(apply(onConn("c2", 4, 3, OUT, "", "answer")).replyTo()).isEqualTo(2);
        assertThat(correlator.unanswered()).isEqualTo(1);
    }

    @Test
    void aConnectionNameUsedAgainAfterItClosedStartsAfreshAndEqualNamesOfOtherInstancesAreTheSameConnection() {
        String c1 = new String("c1"); // the events of one connection share one name: the correlator caches by it
        apply(handshake(c1, IN, "REQ"));
        apply(onConn(c1, 1, 0, IN, "", "lost"));
        apply(closed(c1));
        assertThat(apply(onConn(c1, 2, 1, OUT, "", "too late")).replyTo()).isZero();

        apply(handshake(c1, IN, "REQ")); // the same name again, e.g. a capture's next connection on that port
        apply(onConn(c1, 3, 2, IN, "", "again"));
        assertThat(apply(onConn(new String("c1"), 4, 3, OUT, "", "answer")).replyTo()).isEqualTo(3);
        apply(onConn(new String("c1"), 5, 4, IN, "", "next"));
        assertThat(apply(onConn(c1, 6, 5, OUT, "", "answer")).replyTo()).isEqualTo(5);
        assertThat(correlator.unanswered()).isEqualTo(1);
    }

    @Test
    void atMostTenUnansweredAreListedOldestFirst() {
        for (int i = 1; i <= 25; i++) {
            apply(routed(i, i, IN, "client" + i, "", "x"));
        }
        assertThat(correlator.unanswered()).isEqualTo(25);
        assertThat(correlator.oldestUnanswered()).extracting(StatisticsEvent.Pending::seq)
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void forgettingAfterLostEventsCountsNothingUnanswered() {
        apply(routed(1, 0, IN, "a", "", "x"));
        correlator.forget();
        assertThat(apply(routed(2, 1, OUT, "a", "", "y")).replyTo()).isZero();
        assertThat(correlator.unanswered()).isZero();
        apply(routed(3, 2, IN, "a", "", "x"));
        assertThat(apply(routed(4, 3, OUT, "a", "", "y")).replyTo()).isEqualTo(3);
    }

    @Test
    void pairingSurvivesLostEventsAndTheEvictionOfAConnectionsLastRequest() {
        Correlator small = new Correlator(1, 10);
        small.apply(handshake("c1", IN, "REQ"));
        small.apply(onConn("c1", 1, 0, IN, "", "a"));
        small.forget(); // events were lost: c1's request goes, c1 itself stays followed
        small.apply(onConn("c1", 2, 1, IN, "", "b"));
        assertThat(((MessageEvent) small.apply(onConn("c1", 3, 2, OUT, "", "B"))).replyTo()).isEqualTo(2);

        small.apply(onConn("c1", 4, 3, IN, "", "c"));
        small.apply(routed(5, 4, IN, "d", "", "x")); // evicts c1's only request
        small.apply(onConn("c1", 6, 5, IN, "", "e"));  // evicts d's, and c1 still pairs
        assertThat(((MessageEvent) small.apply(onConn("c1", 7, 6, OUT, "", "E"))).replyTo()).isEqualTo(6);
        assertThat(small.evicted()).isEqualTo(2);

        small.apply(routed(8, 7, IN, "d", "", "y")); // evicts e...
        small.apply(routed(9, 8, IN, "d", "", "z")); // ...then d's own last request, and d's entry with it
        assertThat(((MessageEvent) small.apply(routed(10, 9, OUT, "d", "", "Z"))).replyTo()).isEqualTo(9);
    }

    @Test
    void clientsTakingTurnsOnOneSourcePairEachWithItsOwnRequests() {
        // the no-envelope line of the last client is kept at hand: switching clients must not reuse it
        apply(routed(1, 0, IN, "a", "", "1"));
        apply(routed(2, 1, IN, "b", "", "2"));
        apply(routed(3, 2, IN, "a", "", "3"));
        assertThat(apply(routed(4, 3, OUT, "b", "", "two")).replyTo()).isEqualTo(2);
        assertThat(apply(routed(5, 4, OUT, "b", "", "none")).replyTo()).isZero();
        assertThat(apply(routed(6, 5, OUT, "a", "", "one")).replyTo()).isEqualTo(1);
        assertThat(apply(routed(7, 6, OUT, "a", "", "three")).replyTo()).isEqualTo(3);
        assertThat(correlator.waiting()).isZero();
    }

    @Test
    void latencyIsWorkedOutFromTheTimestampsWhateverTheyAre() {
        Instant t = Instant.parse("2026-11-26T10:15:02.999999999Z");
        assertThat(Correlator.nanosBetween(t, t.plusNanos(2))).isEqualTo(2);
        assertThat(Correlator.nanosBetween(t, t.plusSeconds(3).plusNanos(1))).isEqualTo(3_000_000_001L);
        assertThat(Correlator.nanosBetween(t, t.minusNanos(1))).isZero(); // a reply stamped before its request
        assertThat(Correlator.nanosBetween(t, t)).isZero();
        // a corrupt timestamp centuries on: the longest latency there is, not an exception
        assertThat(Correlator.nanosBetween(Instant.EPOCH, Instant.parse("2400-01-01T00:00:00Z"))).isEqualTo(Long.MAX_VALUE);
        assertThat(Correlator.nanosBetween(Instant.MIN, Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(Correlator.nanosBetween(Instant.MAX, Instant.MIN)).isZero();

        apply(handshake("c1", IN, "REQ"));
        apply(onConn("c1", 1, 0, IN, "", "then"));
        MessageEvent reply = apply(new MessageEvent(Instant.parse("2400-01-01T00:00:00Z"), Events.TAP, "c1", 2, OUT,
                null, List.of(Frame.EMPTY, Frame.of("centuries later")), false));
        assertThat(reply.replyTo()).isEqualTo(1);
        assertThat(reply.latencyNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void requestIdsChosenToShareOneArraysHashCodeGetKeysThatHashApart() {
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        for (byte[] id : io.zmqtap.testing.HashFlood.ids()) {
            hashes.add(EnvelopeKey.of(List.of(Frame.of(id))).hashCode());
        }
        assertThat(hashes).hasSizeGreaterThan(16_300); // with Arrays.hashCode: one

        // and they still pair exactly
        apply(routed(1, 0, IN, "d", "AaAa", "", "x"));
        apply(routed(2, 1, IN, "d", "BBBB", "", "y"));
        assertThat(apply(routed(3, 2, OUT, "d", "BBBB", "", "Y")).replyTo()).isEqualTo(2);
        assertThat(apply(routed(4, 3, OUT, "d", "AaAa", "", "X")).replyTo()).isEqualTo(1);
    }

    @Test
    void longEnvelopesThatShareTheirStartStillPairExactly() {
        String common = "x".repeat(400);
        apply(routed(1, 0, IN, "d", common + "1", "", "a"));
        apply(routed(2, 1, IN, "d", common + "2", "", "b"));
        assertThat(apply(routed(3, 2, OUT, "d", common + "2", "", "B")).replyTo()).isEqualTo(2);
        assertThat(apply(routed(4, 3, OUT, "d", common + "1", "", "A")).replyTo()).isEqualTo(1);
    }

    @Test
    void framesSplitDifferentlyAreDifferentEnvelopes() {
        assertThat(EnvelopeKey.of(List.of(Frame.of("ab"), Frame.of("c"))))
                .isNotEqualTo(EnvelopeKey.of(List.of(Frame.of("a"), Frame.of("bc"))))
                .isEqualTo(EnvelopeKey.of(List.of(Frame.of("ab"), Frame.of("c"))));
        assertThat(EnvelopeKey.of(List.of())).isSameAs(EnvelopeKey.NONE);
    }

    @Test
    void otherEventsPassUnchanged() {
        CaptureEvent h = handshake("c1", Direction.IN, "REQ");
        assertThat(correlator.apply(h)).isSameAs(h);
    }
}
