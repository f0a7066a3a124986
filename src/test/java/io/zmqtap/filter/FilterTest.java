package io.zmqtap.filter;

import static io.zmqtap.event.Direction.IN;
import static io.zmqtap.event.Direction.OUT;
import static io.zmqtap.event.Direction.UNKNOWN;
import static io.zmqtap.filter.FilterEvents.command;
import static io.zmqtap.filter.FilterEvents.connection;
import static io.zmqtap.filter.FilterEvents.handshake;
import static io.zmqtap.filter.FilterEvents.message;
import static io.zmqtap.filter.FilterEvents.notice;
import static io.zmqtap.filter.FilterEvents.protocolError;
import static io.zmqtap.filter.FilterEvents.reply;
import static io.zmqtap.filter.FilterEvents.statistics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.ConnectionEvent.Kind;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.filter.Expr.CompareOp;
import io.zmqtap.filter.Expr.MatchOp;
import io.zmqtap.filter.Expr.Quantity;
import io.zmqtap.filter.Expr.Subject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every field and operator of the filter language on hand-made events, and how the parts combine. */
class FilterTest {
    private static boolean shows(String filter, CaptureEvent e) {
        return Filter.parse(filter).test(e);
    }

    @Test
    void dirSelectsMessagesCommandsHandshakesAndProtocolErrorsByDirection() {
        assertThat(shows("dir in", message(IN, "x"))).isTrue();
        assertThat(shows("dir in", message(OUT, "x"))).isFalse();
        assertThat(shows("dir out", message(OUT, "x"))).isTrue();
        assertThat(shows("DIR OUT", message(OUT, "x"))).as("keywords in any case").isTrue();
        assertThat(shows("dir in", message(UNKNOWN, "x"))).as("a raw capture's message has no direction").isFalse();
        assertThat(shows("dir out", message(UNKNOWN, "x"))).isFalse();
        assertThat(shows("dir in", command("c3", IN, "PING", null))).isTrue();
        assertThat(shows("dir in", command("c3", OUT, "PING", null))).isFalse();
        assertThat(shows("dir in", handshake("c3", OUT, "REP", null))).isFalse();
        assertThat(shows("dir in", protocolError("c3", OUT))).isFalse();
        assertThat(shows("dir in", protocolError("c3", IN))).isTrue();
        assertThat(shows("dir in", connection("c3", Kind.OPENED, "REQ", "REP"))).as("no direction: context").isTrue();
        assertThat(shows("dir in", notice(null))).isTrue();
    }

    @Test
    void identityComparesTextOrBytesAndMatchesRegularExpressions() {
        MessageEvent a = message("c3", 1, IN, "client_a", "", "x");
        MessageEvent bin = message("c3", 1, IN, "0x006b8b4567", "", "x");
        MessageEvent none = message("c3", 1, IN, null, "x");
        assertThat(shows("identity == \"client_a\"", a)).isTrue();
        assertThat(shows("identity == \"client\"", a)).isFalse();
        assertThat(shows("identity != \"client\"", a)).isTrue();
        assertThat(shows("identity != \"client_a\"", a)).isFalse();
        assertThat(shows("identity ~ \"client_\"", a)).as("found anywhere").isTrue();
        assertThat(shows("identity ~ \"^lient\"", a)).isFalse();
        assertThat(shows("identity !~ \"^lient\"", a)).isTrue();
        assertThat(shows("identity !~ \"_a$\"", a)).isFalse();
        assertThat(shows("identity == 0x006b8b4567", bin)).isTrue();
        assertThat(shows("identity == 0x006B8B4567", bin)).isTrue();
        assertThat(shows("identity == 0x006b8b45", bin)).isFalse();
        assertThat(shows("identity ~ \"^0x006b\"", bin)).as("bytes are matched as shown: 0x and hex").isTrue();
        assertThat(shows("identity ~ \"\"", none)).as("no identity matches nothing").isFalse();
        assertThat(shows("identity != \"x\"", none)).isTrue();
        assertThat(shows("identity == \"client_a\"", handshake("c3", IN, "REQ", "client_a"))).isTrue();
        assertThat(shows("identity == \"client_a\"", handshake("c3", IN, "REQ", null))).isFalse();
        assertThat(shows("identity == \"client_a\"", command("c3", IN, "PING", null))).isFalse();
        assertThat(shows("identity == \"client_a\"", connection("c3", Kind.OPENED, null, null))).isTrue();
    }

    @Test
    void sizeIsTheMessagesWireBytesWithEveryComparisonAndUnit() {
        MessageEvent m = message(IN, "0123456789", "0123456789"); // 20 B
        assertThat(shows("size == 20", m)).isTrue();
        assertThat(shows("size == 20B", m)).isTrue();
        assertThat(shows("size != 20", m)).isFalse();
        assertThat(shows("size < 20", m)).isFalse();
        assertThat(shows("size <= 20", m)).isTrue();
        assertThat(shows("size > 19", m)).isTrue();
        assertThat(shows("size >= 21", m)).isFalse();
        MessageEvent big = new MessageEvent(FilterEvents.T0, FilterEvents.TAP, "c3", 1, IN, null,
                List.of(new Frame(new byte[16], 2048)), false); // cut by --snap: the true size counts
        assertThat(shows("size == 2KiB", big)).isTrue();
        assertThat(shows("size == 2kb", big)).isTrue();
        assertThat(shows("size == 2k", big)).isTrue();
        assertThat(shows("size > 1KiB", big)).isTrue();
        assertThat(shows("size < 1MiB", big)).isTrue();
        assertThat(shows("size < 1GiB", big)).isTrue();
        assertThat(shows("size > 1", command("c3", IN, "PING", null))).isFalse();
        assertThat(shows("size > 1", connection("c3", Kind.OPENED, null, null))).as("message content: false").isFalse();
    }

    @Test
    void framesCountsFramesAndSeqIsTheMessageNumber() {
        MessageEvent m = message("c3", 7, IN, null, "", "a", "b");
        assertThat(shows("frames == 3", m)).isTrue();
        assertThat(shows("frames > 3", m)).isFalse();
        assertThat(shows("seq == 7", m)).isTrue();
        assertThat(shows("seq >= 8", m)).isFalse();
        assertThat(shows("seq > 0", notice(null))).isFalse();
    }

    @Test
    void frameNLooksAtOneFrameCountingFromTheEndWhenNegative() {
        MessageEvent m = message(IN, "weather", "", "0x00ff", "42");
        assertThat(shows("frame[0] == \"weather\"", m)).isTrue();
        assertThat(shows("frame[1] == \"\"", m)).isTrue();
        assertThat(shows("frame[1] == 0x", m)).isTrue();
        assertThat(shows("frame[2] == 0x00ff", m)).isTrue();
        assertThat(shows("frame[2] ~ \"^0x00\"", m)).isTrue();
        assertThat(shows("frame[-1] == \"42\"", m)).isTrue();
        assertThat(shows("frame[-4] == \"weather\"", m)).isTrue();
        assertThat(shows("frame[4] == \"42\"", m)).as("no such frame").isFalse();
        assertThat(shows("frame[-5] ~ \"\"", m)).isFalse();
        assertThat(shows("frame[0] ~ \"eat\"", m)).isTrue();
        assertThat(shows("frame[0] !~ \"eat\"", m)).isFalse();
        assertThat(shows("frame[0] != \"weather\"", m)).isFalse();
        MessageEvent cut = new MessageEvent(FilterEvents.T0, FilterEvents.TAP, "c3", 1, IN, null,
                List.of(new Frame("abc".getBytes(), 10)), false);
        assertThat(shows("frame[0] == \"abc\"", cut)).as("a cut frame is not equal to its first bytes").isFalse();
        assertThat(shows("frame[0] ~ \"^abc\"", cut)).isTrue();
    }

    @Test
    void payloadIsAnyFrameOfTheBodyAfterTheEnvelope() {
        MessageEvent m = message(OUT, "client_a", "", "123", "abc");
        assertThat(shows("payload ~ \"^[0-9]+$\"", m)).isTrue();
        assertThat(shows("payload == \"abc\"", m)).isTrue();
        assertThat(shows("payload == \"client_a\"", m)).as("the envelope is not the payload").isFalse();
        assertThat(shows("payload != \"abc\"", m)).isFalse();
        assertThat(shows("payload !~ \"z\"", m)).isTrue();
        assertThat(shows("payload == \"x\"", message(OUT, "x"))).as("no delimiter: all body").isTrue();
    }

    @Test
    void topicAndCmdAndPingLookAtCommands() {
        assertThat(shows("cmd SUBSCRIBE", command("c3", IN, "SUBSCRIBE", "weather"))).isTrue();
        assertThat(shows("cmd subscribe", command("c3", IN, "SUBSCRIBE", "weather"))).isTrue();
        assertThat(shows("cmd CANCEL", command("c3", IN, "SUBSCRIBE", "weather"))).isFalse();
        assertThat(shows("cmd SUBSCRIBE and topic == \"weather\"", command("c3", IN, "SUBSCRIBE", "weather"))).isTrue();
        assertThat(shows("topic ~ \"^w\"", command("c3", IN, "SUBSCRIBE", "weather"))).isTrue();
        assertThat(shows("topic == \"\"", command("c3", IN, "PING", null))).as("no topic").isFalse();
        assertThat(shows("cmd PING", message(IN, "PING"))).isFalse();
        assertThat(shows("ping", command("c3", OUT, "PING", null))).isTrue();
        assertThat(shows("ping", command("c3", IN, "PONG", null))).isTrue();
        assertThat(shows("ping", command("c3", IN, "SUBSCRIBE", "x"))).isFalse();
        assertThat(shows("not ping", command("c3", IN, "PONG", null))).isFalse();
        assertThat(shows("not ping", message(IN, "x"))).isTrue();
    }

    @Test
    void sourceAndConnNameWhereTheEventWasSeen() {
        assertThat(shows("source == \"tcp://127.0.0.1:4444\"", message(IN, "x"))).isTrue();
        assertThat(shows("source ~ \":4444$\"", notice(null))).isTrue();
        assertThat(shows("source ~ \":5555$\"", notice(null))).isFalse();
        assertThat(shows("conn 3", message(IN, "x"))).isTrue();
        assertThat(shows("conn c3", message(IN, "x"))).isTrue();
        assertThat(shows("conn \"c3\"", message(IN, "x"))).isTrue();
        assertThat(shows("conn 3", message("3", 1, IN, null, "x"))).isTrue();
        assertThat(shows("conn 33", message(IN, "x"))).isFalse();
        assertThat(shows("conn 4", connection("c3", Kind.CLOSED, null, null))).isFalse();
        assertThat(shows("conn \"flow-a\"", message("flow-a", 1, IN, null, "x"))).isTrue();
        assertThat(shows("conn 3", message(null, 1, IN, null, "x"))).as("a queue's message has no conn").isFalse();
        assertThat(shows("conn 3", notice(null))).as("a notice about the whole source").isTrue();
    }

    @Test
    void latencyIsAPairedRepliesTimeSinceItsRequestInAnyUnit() {
        MessageEvent r = reply(5_000_001, "x");
        assertThat(shows("latency > 5ms", r)).isTrue();
        assertThat(shows("latency > 5000001ns", r)).isFalse();
        assertThat(shows("latency >= 5000001ns", r)).isTrue();
        assertThat(shows("latency < 5001us", r)).isTrue();
        assertThat(shows("latency < 5001\u00b5s", r)).isTrue();
        assertThat(shows("latency < 1s", r)).isTrue();
        assertThat(shows("latency > 0.005s", r)).isTrue();
        assertThat(shows("latency <= 1.5ms", r)).isFalse();
        assertThat(shows("latency == 5000001ns", r)).isTrue();
        MessageEvent request = message(IN, "x");
        assertThat(shows("latency >= 0ns", request)).as("a request has no latency").isFalse();
        assertThat(shows("latency < 1s", request)).isFalse();
        assertThat(shows("latency != 1s", request)).isTrue();
    }

    @Test
    void typeIsLearntFromHandshakesAndConnectionEventsForEitherPeer() {
        Filter sub = Filter.parse("type SUB");
        Filter pub = Filter.parse("type pub");
        MessageEvent m = message(OUT, "weather", "sunny");
        assertThat(sub.test(m)).as("not known yet").isFalse();
        for (Filter f : List.of(sub, pub)) {
            f.test(handshake("c3", IN, "SUB", null));
            f.test(handshake("c3", OUT, "PUB", null));
        }
        assertThat(sub.test(m)).isTrue();
        assertThat(pub.test(m)).isTrue();
        assertThat(Filter.parse("type SUB").test(connection("c3", Kind.OPENED, "SUB", "XPUB"))).isTrue();
        Filter dealer = Filter.parse("type DEALER");
        dealer.test(connection("c3", Kind.OPENED, "REQ", "ROUTER"));
        assertThat(dealer.test(m)).isFalse();
        assertThat(dealer.test(message("c4", 1, IN, null, "x"))).as("another connection").isFalse();
        assertThat(dealer.test(handshake("c5", OUT, "REP", null))).as("the other peer still unknown").isTrue();
        assertThat(dealer.test(handshake("c5", IN, "REQ", null))).isFalse();
    }

    @Test
    void theSocketTypesOfAClosedConnectionAreForgottenAndTheirNumberIsBounded() {
        Filter f = Filter.parse("type REQ");
        assertThat(f.test(connection("c1", Kind.OPENED, "REQ", "REP"))).isTrue();
        assertThat(f.rememberedConnections()).isEqualTo(1);
        assertThat(f.test(connection("c1", Kind.CLOSED, "REQ", "REP"))).isTrue();
        assertThat(f.rememberedConnections()).isZero();
        for (int i = 0; i < Filter.MAX_CONNECTIONS + 5; i++) {
            f.test(handshake("c" + i, IN, "REQ", null));
        }
        assertThat(f.rememberedConnections()).isEqualTo(Filter.MAX_CONNECTIONS);
        assertThat(Filter.parse("dir in").rememberedConnections()).as("nothing learnt without a type test").isZero();
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() {
        assertThat(Parser.parse("dir in or dir out and ping")).isEqualTo(new Expr.Or(new Expr.Dir(IN),
                new Expr.And(new Expr.Dir(OUT), new Expr.Ping())));
        assertThat(Parser.parse("not dir in and ping")).isEqualTo(new Expr.And(new Expr.Not(new Expr.Dir(IN)),
                new Expr.Ping()));
        assertThat(Parser.parse("ping or not ping or ping")).isEqualTo(new Expr.Or(new Expr.Or(new Expr.Ping(),
                new Expr.Not(new Expr.Ping())), new Expr.Ping()));
        assertThat(Parser.parse("not (dir in or ping)")).isEqualTo(new Expr.Not(new Expr.Or(new Expr.Dir(IN),
                new Expr.Ping())));
        assertThat(Parser.parse("not not ping")).isEqualTo(new Expr.Not(new Expr.Not(new Expr.Ping())));
        MessageEvent out = message(OUT, "x");
        assertThat(shows("dir in or dir out and size > 100", out)).isFalse();
        assertThat(shows("(dir in or dir out) and size > 0", out)).isTrue();
        assertThat(shows("not dir in and size > 0", out)).isTrue();
        assertThat(shows("not (dir out and size > 0)", out)).isFalse();
    }

    @Test
    void stringsTakeEscapesAndKeepARegularExpressionsOwnBackslashes() {
        assertThat(((Expr.Match) Parser.parse("frame[0] == \"a\\\"b\\\\c\\n\\r\\t\\0\\u00e9'\"")).value())
                .isEqualTo(new Value.Text("a\"b\\c\n\r\t\0\u00e9'"));
        assertThat(((Expr.Match) Parser.parse("frame[0] == 'it\\'s \"x\"'")).value())
                .isEqualTo(new Value.Text("it's \"x\""));
        assertThat(((Expr.Match) Parser.parse("payload ~ \"^\\d+\\.\\d$\"")).value())
                .isEqualTo(new Value.Text("^\\d+\\.\\d$"));
        assertThat(shows("payload ~ \"^\\d+\\.\\d$\"", message(IN, "12.5"))).isTrue();
        assertThat(shows("payload ~ \"^\\d+\\.\\d$\"", message(IN, "12x5"))).isFalse();
        assertThat(shows("payload == \"caf\u00e9\"", message(IN, "caf\u00e9"))).isTrue();
    }

    @Test
    void printingGivesTheCanonicalText() {
        assertThat(Filter.parse("(DIR  IN)and size>1024").toString()).isEqualTo("dir in and size > 1KiB");
        assertThat(Filter.parse("size >= 100B or latency>5000us").toString()).isEqualTo("size >= 100 or latency > 5ms");
        assertThat(Filter.parse("latency < 1.5ms").toString()).isEqualTo("latency < 1500us");
        assertThat(Filter.parse("ping or (ping or ping)").toString()).isEqualTo("ping or (ping or ping)");
        assertThat(Filter.parse("(ping or ping) or ping").toString()).isEqualTo("ping or ping or ping");
        assertThat(Filter.parse("not (ping and ping)").toString()).isEqualTo("not (ping and ping)");
        assertThat(Filter.parse("conn C3 and conn 'x y' and cmd subscribe and type sub").toString())
                .isEqualTo("conn 3 and conn \"x y\" and cmd SUBSCRIBE and type SUB");
        assertThat(Filter.parse("frame[-1] == 0X00FF and identity ~ 'a\"\\\\b\\u0001'").toString())
                .isEqualTo("frame[-1] == 0x00ff and identity ~ \"a\\\"\\\\b\\u0001\"");
    }

    @Test
    void contextEventsAreShownUnlessTheFilterRulesThemOut() {
        List<CaptureEvent> context = List.of(connection("c3", Kind.OPENED, "REQ", "REP"), handshake("c3", IN, "REQ", "a"),
                notice("c3"), protocolError("c3", IN));
        assertThat(context).allMatch(Filter.parse("cmd SUBSCRIBE")::test);
        assertThat(context).allMatch(Filter.parse("conn 3")::test);
        assertThat(context).noneMatch(Filter.parse("conn 4")::test);
        assertThat(context).noneMatch(Filter.parse("size > 0")::test);
        assertThat(context).noneMatch(Filter.parse("payload ~ \"\"")::test);
        assertThat(context).allMatch(Filter.parse("not size > 0")::test);
        assertThat(context).allMatch(Filter.parse("size > 0 or conn 3")::test);
        assertThat(context).noneMatch(Filter.parse("size > 0 and conn 3")::test);
        assertThat(context).allMatch(Filter.parse("cmd PING or conn 4")::test);
        assertThat(context).allMatch(Filter.parse("not cmd PING")::test);
        List<CaptureEvent> traffic = List.of(message(IN, "x"), command("c3", IN, "SUBSCRIBE", "x"));
        assertThat(traffic).noneMatch(Filter.parse("cmd PING or conn 4")::test);
    }

    @Test
    void statisticsAreAlwaysShown() {
        assertThat(shows("size > 1GiB and cmd X and not source ~ \"\"", statistics())).isTrue();
    }

    @Test
    void aTreeBuiltInCodeIsCheckedAsTheParserChecksIt() {
        Expr e = new Expr.Match(Subject.FRAME, 0, MatchOp.EQ, new Value.Hex("ABCD"));
        assertThat(Filter.of(e).toString()).isEqualTo("frame[0] == 0xabcd");
        assertThat(Filter.of(new Expr.Compare(Quantity.SIZE, CompareOp.GT, 0)).test(message(IN, "x"))).isTrue();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Expr.Match(Subject.PAYLOAD, 0, MatchOp.MATCHES, new Value.Hex("00")));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Expr.Match(Subject.SOURCE, 0, MatchOp.EQ, new Value.Hex("00")));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Expr.Match(Subject.PAYLOAD, 2, MatchOp.EQ, new Value.Text("")));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Expr.SocketType("SUBB"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Value.Hex("abc"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Expr.Compare(Quantity.SEQ, CompareOp.EQ, -1));
    }
}
