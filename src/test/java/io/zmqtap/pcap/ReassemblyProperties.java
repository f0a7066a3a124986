package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.NoticeEvent;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** However a capture mixes up a clean conversation, short of losing bytes, the events are those of the conversation in order. */
class ReassemblyProperties {
    private static final List<String> REQ_REP = ReqRep.events("c1", "127.0.0.1:53122", "127.0.0.1:5555", 1);

    /**
     * Each turn (what one end sends before the other answers) in any order, with segments sent twice
     * and bytes sent again packed anew, anywhere from their turn on; sequence numbers anywhere,
     * wrapping past 2^32 or not.
     */
    @Property(tries = 300)
    void anyReorderingDuplicationOrRepackingReadsAsTheConversationInOrder(
            @ForAll @IntRange(min = 1, max = 70) int piece,
            @ForAll("sequenceNumbers") long clientIsn,
            @ForAll("sequenceNumbers") long serverIsn,
            @ForAll @IntRange(max = 3) int extrasPerTurn,
            @ForAll Random random) {
        TcpConversation c = new TcpConversation(new InetSocketAddress("127.0.0.1", 53122), new InetSocketAddress("127.0.0.1", 5555),
                clientIsn, serverIsn, TcpConversation.T0);
        ReqRep.Script script = ReqRep.script(c, piece);
        List<List<TcpSegment>> turns = script.turns();
        List<List<TcpSegment>> original = turns.stream().map(List::copyOf).toList();
        for (List<TcpSegment> turn : turns) {
            Collections.shuffle(turn, random);
        }
        for (int t = 0; t < original.size(); t++) {
            List<TcpSegment> sent = original.get(t);
            for (int e = 0; e < extrasPerTurn; e++) {
                TcpSegment extra = random.nextBoolean()
                        ? sent.get(random.nextInt(sent.size()))
                        : repacked(sent, random);
                List<TcpSegment> into = turns.get(t + random.nextInt(turns.size() - t));
                into.add(random.nextInt(into.size() + 1), extra);
            }
        }

        Reassembly r = new Reassembly().feed(script.all());

        assertThat(r.lines()).containsExactlyElementsOf(REQ_REP);
        assertThat(r.events).noneMatch(e -> e instanceof NoticeEvent);
        assertThat(r.counters().gaps()).isZero();
        assertThat(r.counters().heldBytes()).isZero();
    }

    private static TcpSegment repacked(List<TcpSegment> run, Random random) {
        int length = run.stream().mapToInt(TcpSegment::payloadLength).sum();
        int from = random.nextInt(length);
        int to = from + 1 + random.nextInt(length - from);
        return TcpConversation.repack(run, from, to);
    }

    @Provide
    Arbitrary<Long> sequenceNumbers() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.longs().between(0xFFFF_FFFFL - 300, 0xFFFF_FFFFL));
    }
}
