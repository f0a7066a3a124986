package io.zmqtap.filter;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.StatisticsEvent;
import java.util.function.Predicate;

/**
 * A compiled filter: which events to show. Parsed once, regular expressions compiled once, then
 * {@link #test} per event (the grammar and every field: {@code docs/filters.md}).
 *
 * <pre>{@code
 * Filter f = Filter.parse("dir in and identity ~ \"client_\" and not ping");
 * if (f.test(event)) sink.accept(event);
 * }</pre>
 *
 * <p>What it shows:
 * <ul>
 * <li>messages and commands (the traffic) when the filter is true for them; a test on a field they
 *     do not carry is false ({@code cmd PING} on a message, {@code size > 100} on a command);
 * <li>connection, handshake, notice and protocol-error events (the context) unless the filter is
 *     false for them: tests on message content ({@code size}, {@code frames}, {@code frame[N]},
 *     {@code payload}, {@code seq}, {@code latency}) are false for them, tests on what they do not
 *     carry are unknown. So {@code conn 3} or {@code dir in} keep the connection's story,
 *     {@code size > 100} shows messages only;
 * <li>statistics always.
 * </ul>
 *
 * <p>{@code type SUB} looks up the socket types of the event's connection, which this filter learns
 * from the handshake and connection events it is given (all of them, shown or not): give it every
 * event, in order. At most {@value #MAX_CONNECTIONS} connections are remembered.
 */
public final class Filter implements Predicate<CaptureEvent> {
    /** Connections whose socket types are remembered for {@code type} at most. */
    public static final int MAX_CONNECTIONS = 10_000;

    private final Expr expression;
    private final Compiler.Node root;
    private final PeerTypes types; // null: no type test, nothing to learn

    private Filter(Expr expression) {
        this.expression = expression;
        this.types = usesType(expression) ? new PeerTypes(MAX_CONNECTIONS) : null;
        this.root = Compiler.compile(expression, types);
    }

    /**
     * The filter {@code text} describes.
     *
     * @throws FilterException at the first problem, naming its column and what was expected there
     */
    public static Filter parse(String text) {
        return new Filter(Parser.parse(text));
    }

    /** A filter from a tree built in code (a bad regular expression: {@link IllegalArgumentException}). */
    public static Filter of(Expr expression) {
        return new Filter(expression);
    }

    /** The parsed tree. */
    public Expr expression() {
        return expression;
    }

    /** True when {@code event} should be shown (see the class comment). Learns socket types from it first. */
    @Override
    public boolean test(CaptureEvent event) {
        if (event instanceof StatisticsEvent) {
            return true;
        }
        if (types == null) {
            return decide(event, root.eval(event));
        }
        types.learn(event);
        try {
            return decide(event, root.eval(event));
        } finally {
            types.forgetIfClosed(event);
        }
    }

    /** The canonical text: parsing it gives an equal {@link #expression()}. */
    @Override
    public String toString() {
        return Printer.print(expression);
    }

    /** Connections whose socket types are remembered now (for tests). */
    int rememberedConnections() {
        return types == null ? 0 : types.size();
    }

    private static boolean decide(CaptureEvent event, int truth) {
        return Compiler.isTraffic(event) ? truth == Compiler.TRUE : truth != Compiler.FALSE;
    }

    private static boolean usesType(Expr e) {
        if (e instanceof Expr.Or or) {
            return usesType(or.left()) || usesType(or.right());
        }
        if (e instanceof Expr.And and) {
            return usesType(and.left()) || usesType(and.right());
        }
        if (e instanceof Expr.Not not) {
            return usesType(not.operand());
        }
        return e instanceof Expr.SocketType;
    }
}
