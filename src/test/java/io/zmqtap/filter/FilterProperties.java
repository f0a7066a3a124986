package io.zmqtap.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.filter.Expr.CompareOp;
import io.zmqtap.filter.Expr.MatchOp;
import io.zmqtap.filter.Expr.Quantity;
import io.zmqtap.filter.Expr.Subject;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random filters and events: printing a filter and parsing the text gives the same filter (and the
 * same text again); {@code not (A)} shows exactly the traffic {@code A} hides.
 */
class FilterProperties {
    @Property(tries = 500)
    void aPrintedFilterParsesBackToTheSameFilter(@ForAll("filters") Expr e) {
        String text = Printer.print(e);
        Expr again = Parser.parse(text);
        assertThat(again).as(text).isEqualTo(e);
        assertThat(Printer.print(again)).isEqualTo(text);
    }

    @Property(tries = 300)
    void notShowsExactlyTheTrafficTheFilterHides(@ForAll("filters") Expr e, @ForAll("events") List<CaptureEvent> events) {
        Filter a = Filter.of(e);
        Filter notA = Filter.of(new Expr.Not(e));
        for (CaptureEvent ev : events) {
            boolean shown = a.test(ev);
            boolean complement = notA.test(ev);
            if (ev instanceof MessageEvent || ev instanceof CommandEvent) {
                assertThat(complement).as(a + " on " + ev).isEqualTo(!shown);
            } else {
                // context: hidden by at most one of them (both show it when the filter cannot tell)
                assertThat(shown || complement).as(a + " on " + ev).isTrue();
            }
        }
    }

    @Provide
    Arbitrary<Expr> filters() {
        return Arbitraries.lazyOf(
                FilterProperties::test,
                FilterProperties::test,
                FilterProperties::test,
                () -> filters().map(Expr.Not::new),
                () -> Combinators.combine(filters(), filters()).as(Expr.And::new),
                () -> Combinators.combine(filters(), filters()).as(Expr.Or::new));
    }

    private static Arbitrary<Expr> test() {
        return Arbitraries.oneOf(
                Arbitraries.of(Direction.IN, Direction.OUT).map(Expr.Dir::new),
                match(),
                Combinators.combine(Arbitraries.of(Quantity.class), Arbitraries.of(CompareOp.class),
                        Arbitraries.oneOf(Arbitraries.longs().between(0, 5000), Arbitraries.longs().greaterOrEqual(0),
                                Arbitraries.of(1024L, 3L << 20, 1L << 30, 5_000_000L, 1_500_000L, 7_000_000_000L)))
                        .as(Expr.Compare::new),
                Arbitraries.of(List.copyOf(Expr.SocketType.NAMES)).map(Expr.SocketType::new),
                Arbitraries.strings().withCharRange('a', 'z').withChars('_', '0', '9').ofMinLength(1).ofMaxLength(8)
                        .filter(s -> Character.isLetter(s.charAt(0))).map(Expr.Cmd::new),
                Arbitraries.just(new Expr.Ping()),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 999).map(String::valueOf),
                        Arbitraries.integers().between(0, 999).map(i -> "c" + i),
                        Arbitraries.strings().ofMinLength(1).ofMaxLength(6)).map(Expr.Conn::new));
    }

    private static Arbitrary<Expr> match() {
        return Combinators.combine(Arbitraries.of(Subject.class), Arbitraries.integers().between(-3, 5),
                Arbitraries.of(MatchOp.class), value()).as((subject, index, op, value) -> {
                    int i = subject == Subject.FRAME ? index : 0;
                    Value v = (op.isRegex() || subject == Subject.SOURCE) && value instanceof Value.Hex h
                            ? new Value.Text(h.digits()) : value;
                    return (Expr) new Expr.Match(subject, i, op, v);
                }).filter(m -> !((Expr.Match) m).op().isRegex() || validRegex(((Value.Text) ((Expr.Match) m).value()).text()));
    }

    /** Any text (control characters, quotes, backslashes, non-BMP characters), or bytes. */
    private static Arbitrary<Value> value() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(8).map(Value.Text::new),
                Arbitraries.strings().withChars('"', '\'', '\\', 'u', 'n', '0', '\n', '\u0001', '\u00e9')
                        .withChars("\ud83d\ude00").ofMaxLength(8).map(Value.Text::new),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(6).map(b -> new Value.Hex(hex(b))));
    }

    private static boolean validRegex(String s) {
        try {
            java.util.regex.Pattern.compile(s);
            return true;
        } catch (java.util.regex.PatternSyntaxException e) {
            return false;
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    @Provide
    Arbitrary<List<CaptureEvent>> events() {
        Arbitrary<String> conn = Arbitraries.of("c1", "c3", "3", null);
        Arbitrary<Direction> dir = Arbitraries.of(Direction.class);
        Arbitrary<String> text = Arbitraries.of("", "weather", "client_a", "42", "0x00ff", "é", "PING");
        Arbitrary<CaptureEvent> message = Combinators.combine(conn, Arbitraries.longs().between(0, 10), dir,
                Arbitraries.of("client_a", "0x006b8b4567", null), text.list().ofMaxSize(4),
                Arbitraries.longs().between(-1, 10_000_000))
                .as((c, seq, d, id, frames, latency) -> {
                    MessageEvent m = FilterEvents.message(c, seq, d, id, frames.toArray(String[]::new));
                    return latency < 0 ? m : m.withReply(seq, latency);
                });
        Arbitrary<CaptureEvent> command = Combinators.combine(conn, Arbitraries.of(Direction.IN, Direction.OUT),
                Arbitraries.of("PING", "PONG", "SUBSCRIBE", "CANCEL", "ERROR"), Arbitraries.of("weather", "", null))
                .as(FilterEvents::command);
        Arbitrary<String> type = Arbitraries.of("REQ", "REP", "SUB", "PUB", "DEALER", "ROUTER", null);
        Arbitrary<CaptureEvent> handshake = Combinators.combine(conn, Arbitraries.of(Direction.IN, Direction.OUT), type,
                Arbitraries.of("client_a", null)).as(FilterEvents::handshake);
        Arbitrary<CaptureEvent> connection = Combinators.combine(conn, Arbitraries.of(ConnectionEvent.Kind.class), type,
                type).as(FilterEvents::connection);
        Arbitrary<CaptureEvent> notice = conn.map(FilterEvents::notice);
        Arbitrary<CaptureEvent> error = Combinators.combine(conn, dir).as(FilterEvents::protocolError);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, message), net.jqwik.api.Tuple.of(2, command),
                net.jqwik.api.Tuple.of(2, handshake), net.jqwik.api.Tuple.of(2, connection),
                net.jqwik.api.Tuple.of(1, notice), net.jqwik.api.Tuple.of(1, error),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(FilterEvents.statistics())))
                .list().ofMinSize(1).ofMaxSize(12).map(ArrayList::new);
    }
}
