package io.zmqtap.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.filter.Filter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Picking the client side out of a recording, with no sockets. */
class ReplayPlanTest {
    @Test
    void aReqConversationSendsTheBodyAndExpectsTheRecordedReplyWithItsDelimiter() {
        Recordings rec = new Recordings().reqSession("c1", 1000, List.of("1", "2"), List.of("2", "4"));
        ReplayPlan plan = ReplayPlan.of(rec.events(), null);
        assertThat(plan.conversations()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("c1");
            assertThat(c.kind()).isEqualTo(Conversation.Kind.REQ);
            assertThat(c.identity()).isNull();
            assertThat(c.requests()).extracting(Request::seq).containsExactly(1L, 3L);
            assertThat(c.requests()).extracting(Request::offsetNanos).containsExactly(0L, 1_000_000_000L);
            assertThat(c.requests().get(1).send()).containsExactly(Frame.of("2"));
            assertThat(c.requests().get(1).expected()).containsExactly(Frame.EMPTY, Frame.of("4"));
        });
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void unpairedRepliesGoToTheOldestUnansweredRequestOfTheirConversation() {
        Recordings rec = new Recordings();
        rec.handshake("c1", "DEALER", "client_a");
        rec.handshake("c2", "DEALER", null);
        rec.request("c1", 0, "client_a", "a1");
        rec.request("c2", 1, null, "b1");
        rec.request("c1", 2, "client_a", "a2");
        rec.reply("c2", 0, 3, null, "B1");
        rec.reply("c1", 0, 4, "client_a", "A1");
        rec.reply("c1", 0, 5, "client_a", "A2");
        ReplayPlan plan = ReplayPlan.of(rec.events(), null);
        assertThat(plan.conversations()).extracting(Conversation::name).containsExactly("client_a", "c2");
        Conversation a = plan.conversations().get(0);
        assertThat(a.kind()).isEqualTo(Conversation.Kind.DEALER);
        assertThat(a.identity()).isEqualTo(Frame.of("client_a"));
        assertThat(a.requests()).extracting(r -> r.expected().get(0).text()).containsExactly("A1", "A2");
        assertThat(plan.conversations().get(1).requests().get(0).expected()).containsExactly(Frame.of("B1"));
    }

    @Test
    void aQueueFeedLosesTheRoutingIdAndKeepsOnlyIdentitiesTheClientChose() {
        Frame madeUp = Frame.of(new byte[] {0, 0x6b, (byte) 0x8b, 0x45, 0x67});
        Frame chosen = Frame.of("client_id_abc");
        List<MessageEvent> feed = List.of(
                message(1, Direction.IN, madeUp, 0, madeUp, Frame.EMPTY, Frame.of("3")),
                message(2, Direction.OUT, madeUp, 1, madeUp, Frame.EMPTY, Frame.of("6")),
                message(3, Direction.IN, chosen, 0, chosen, Frame.of("hop"), Frame.EMPTY, Frame.of("4")),
                message(4, Direction.OUT, chosen, 3, chosen, Frame.of("hop"), Frame.EMPTY, Frame.of("8")));
        ReplayPlan plan = ReplayPlan.of(feed, null);
        assertThat(plan.conversations()).hasSize(2);
        Conversation req = plan.conversations().get(0);
        assertThat(req.kind()).isEqualTo(Conversation.Kind.REQ);
        assertThat(req.identity()).isNull();
        assertThat(req.requests().get(0).send()).containsExactly(Frame.of("3"));
        assertThat(req.requests().get(0).expected()).containsExactly(Frame.EMPTY, Frame.of("6"));
        Conversation dealer = plan.conversations().get(1);
        assertThat(dealer.kind()).isEqualTo(Conversation.Kind.DEALER);
        assertThat(dealer.identity()).isEqualTo(chosen);
        assertThat(dealer.requests().get(0).send()).containsExactly(Frame.of("hop"), Frame.EMPTY, Frame.of("4"));
        assertThat(plan.notes()).containsExactly("conversation 0x006b8b4567: its identity 0x006b8b4567 was made up "
                + "by the server's ROUTER; the replay gets a new one");
    }

    @Test
    void theFilterPicksRequestsButRepliesStillPairInOrder() {
        Recordings rec = new Recordings();
        rec.handshake("c1", "REQ", null);
        for (int i = 1; i <= 3; i++) {
            rec.request("c1", i * 10, null, "", Integer.toString(i));
            rec.reply("c1", 0, i * 10 + 1, null, "", Integer.toString(2 * i)); // unpaired
        }
        ReplayPlan plan = ReplayPlan.of(rec.events(), Filter.parse("payload ~ \"^[23]$\""));
        assertThat(plan.filteredOut()).isEqualTo(1);
        Conversation c = plan.conversations().get(0);
        assertThat(c.requests()).extracting(r -> r.send().get(0).text()).containsExactly("2", "3");
        assertThat(c.requests()).extracting(r -> r.expected().get(1).text()).containsExactly("4", "6");
        assertThat(c.requests()).extracting(Request::offsetNanos).containsExactly(0L, 10_000_000L);
    }

    @Test
    void whatCannotBeReplayedIsLeftOutWithANote() {
        Recordings rec = new Recordings();
        rec.handshake("c1", "PUB", null);
        rec.request("c1", 0, null, "news");
        ReplayPlan plan = ReplayPlan.of(rec.events(), null);
        assertThat(plan.conversations()).isEmpty();
        assertThat(plan.notes()).containsExactly("conversation c1 is a PUB's, not a REQ's or a DEALER's: not replayed");

        MessageEvent cut = new MessageEvent(Recordings.T0, "s", "c1", 1, Direction.IN, null,
                List.of(Frame.EMPTY, new Frame(new byte[] {1, 2}, 1000)), false);
        assertThat(ReplayPlan.of(List.of(cut), null).notes()).containsExactly("a request recorded with a frame cut "
                + "short (2 of 1000 B, --snap) cannot be sent again: left out");
    }

    @Test
    void differencesNameTheFrameCountOrTheFirstFrameAndByte() {
        List<Frame> recorded = List.of(Frame.EMPTY, Frame.of("42"));
        assertThat(ReplyDiff.of(recorded, List.of(Frame.EMPTY, Frame.of("42")))).isNull();
        assertThat(ReplyDiff.of(recorded, List.of(Frame.EMPTY, Frame.of("43"))).describe())
                .isEqualTo("frame 2 differs at byte 1");
        assertThat(ReplyDiff.of(recorded, List.of(Frame.EMPTY, Frame.of("420"))).describe())
                .isEqualTo("frame 2 differs at byte 2: 2 B recorded, 3 B now");
        assertThat(ReplyDiff.of(recorded, List.of(Frame.of("42"))).describe()).isEqualTo("2 frames recorded, 1 now");
        Frame snapped = new Frame(new byte[] {'a', 'b'}, 4);
        assertThat(ReplyDiff.of(List.of(snapped), List.of(Frame.of("abcd")))).as("equal as far as recorded").isNull();
        assertThat(ReplyDiff.of(List.of(snapped), List.of(Frame.of("abc"))).offset()).isEqualTo(2);
    }

    @Test
    void speedScalesTheRecordedOffsets() {
        assertThat(Speed.parse("1x").due(3_000)).isEqualTo(3_000);
        assertThat(Speed.parse("2x").due(3_000)).isEqualTo(1_500);
        assertThat(Speed.parse("0.5x").due(3_000)).isEqualTo(6_000);
        assertThat(Speed.parse("max").due(3_000)).isZero();
        assertThat(Speed.parse("0.5x")).hasToString("0.5x");
        for (String bad : List.of("0x", "fast", "2", "-1x", "")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Speed.parse(bad))
                    .hasMessage("bad --speed '" + bad + "': expected e.g. 1x, 2x, 0.5x or max");
        }
    }

    private static MessageEvent message(long seq, Direction dir, Frame identity, long replyTo, Frame... frames) {
        MessageEvent m = new MessageEvent(Recordings.T0.plusMillis(seq), "tcp://127.0.0.1:4444", null, seq, dir,
                identity, List.of(frames), true);
        return replyTo > 0 ? m.withReply(replyTo, 1000) : m;
    }
}
