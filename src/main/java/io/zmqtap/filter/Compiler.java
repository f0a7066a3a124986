package io.zmqtap.filter;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An {@link Expr} turned into a tree of {@link Node}s, regular expressions and byte values made
 * once. Each node answers {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN} for an event
 * (three-valued: {@code not} keeps unknown, {@code and} is false if either side is, {@code or}
 * true if either side is):
 *
 * <ul>
 * <li>a test on message content ({@code size}, {@code frames}, {@code frame[N]}, {@code payload},
 *     {@code seq}, {@code latency}) is false for anything that is not a message;
 * <li>any other test on a field the event does not carry ({@code cmd} on a message, {@code dir} on
 *     a notice, {@code conn} without a connection, {@code type} not learnt) is false for traffic
 *     (messages and commands) and unknown for the rest (connections, handshakes, notices,
 *     protocol errors), which {@link Filter} then shows.
 * </ul>
 *
 * <p>Usage: {@code Compiler.Node n = Compiler.compile(expr, types); n.eval(event) == Compiler.TRUE}
 */
final class Compiler {
    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int UNKNOWN = 2;

    /** A compiled test. */
    interface Node {
        int eval(CaptureEvent e);
    }

    private Compiler() {}

    /** {@code types}: where {@code type} tests look up the peers' socket types (null if {@code e} has none). */
    static Node compile(Expr e, PeerTypes types) {
        if (e instanceof Expr.Or or) {
            Node l = compile(or.left(), types);
            Node r = compile(or.right(), types);
            return ev -> {
                int a = l.eval(ev);
                if (a == TRUE) {
                    return TRUE;
                }
                int b = r.eval(ev);
                return b == TRUE ? TRUE : a == FALSE && b == FALSE ? FALSE : UNKNOWN;
            };
        }
        if (e instanceof Expr.And and) {
            Node l = compile(and.left(), types);
            Node r = compile(and.right(), types);
            return ev -> {
                int a = l.eval(ev);
                if (a == FALSE) {
                    return FALSE;
                }
                int b = r.eval(ev);
                return b == FALSE ? FALSE : a == TRUE && b == TRUE ? TRUE : UNKNOWN;
            };
        }
        if (e instanceof Expr.Not not) {
            Node n = compile(not.operand(), types);
            return ev -> {
                int a = n.eval(ev);
                return a == UNKNOWN ? UNKNOWN : TRUE - a;
            };
        }
        if (e instanceof Expr.Dir d) {
            Direction want = d.direction();
            return ev -> {
                Direction got = direction(ev);
                return got == null ? missing(ev) : truth(got == want);
            };
        }
        if (e instanceof Expr.Match m) {
            return match(m);
        }
        if (e instanceof Expr.Compare c) {
            // != is not ==, also where there is nothing to compare (a command's size, a request's latency)
            boolean negated = c.op() == Expr.CompareOp.NE;
            Expr.CompareOp op = negated ? Expr.CompareOp.EQ : c.op();
            return ev -> {
                long v = -1;
                if (ev instanceof MessageEvent m) {
                    v = switch (c.quantity()) {
                        case SIZE -> m.size();
                        case FRAMES -> m.frames().size();
                        case SEQ -> m.seq();
                        case LATENCY -> m.latencyNanos(); // -1: not a paired reply
                    };
                }
                return truth((v >= 0 && op.test(v, c.value())) != negated);
            };
        }
        if (e instanceof Expr.SocketType t) {
            return ev -> socketType(ev, t.name(), types);
        }
        if (e instanceof Expr.Cmd c) {
            return ev -> ev instanceof CommandEvent cmd ? truth(cmd.name().equalsIgnoreCase(c.name())) : missing(ev);
        }
        if (e instanceof Expr.Ping) {
            return ev -> ev instanceof CommandEvent cmd
                    ? truth(cmd.name().equalsIgnoreCase("PING") || cmd.name().equalsIgnoreCase("PONG")) : missing(ev);
        }
        if (e instanceof Expr.Conn c) {
            String id = c.id();
            String prefixed = c.numbered() ? "c" + id : id;
            return ev -> ev.conn() == null ? missing(ev) : truth(ev.conn().equals(id) || ev.conn().equals(prefixed));
        }
        throw new IllegalArgumentException("unknown expression " + e);
    }

    private static Node match(Expr.Match m) {
        Pattern regex = m.op().isRegex() ? Pattern.compile(((Value.Text) m.value()).text()) : null;
        byte[] bytes = m.value().bytes();
        String text = m.value() instanceof Value.Text t ? t.text() : null;
        boolean negated = m.op().negated();
        FrameTest onFrame = regex != null
                ? f -> regex.matcher(shown(f)).find()
                : f -> !f.truncated() && Arrays.equals(f.data(), bytes);
        Node positive = switch (m.subject()) {
            case SOURCE -> ev -> truth(regex != null ? regex.matcher(ev.source()).find() : ev.source().equals(text));
            case IDENTITY -> ev -> {
                Frame id;
                if (ev instanceof MessageEvent msg) {
                    id = msg.identity();
                } else if (ev instanceof HandshakeEvent h) {
                    id = h.identity();
                } else {
                    return missing(ev);
                }
                return truth(id != null && onFrame.test(id));
            };
            case TOPIC -> ev -> ev instanceof CommandEvent c
                    ? truth(c.topic() != null && onFrame.test(c.topic())) : missing(ev);
            case PAYLOAD -> ev -> ev instanceof MessageEvent msg ? truth(any(msg.body(), onFrame)) : FALSE;
            case FRAME -> ev -> {
                if (!(ev instanceof MessageEvent msg)) {
                    return FALSE;
                }
                List<Frame> frames = msg.frames();
                int i = m.index() < 0 ? frames.size() + m.index() : m.index();
                return truth(i >= 0 && i < frames.size() && onFrame.test(frames.get(i)));
            };
        };
        if (!negated) {
            return positive;
        }
        return ev -> {
            int a = positive.eval(ev);
            return a == UNKNOWN ? UNKNOWN : TRUE - a;
        };
    }

    private interface FrameTest {
        boolean test(Frame f);
    }

    private static boolean any(List<Frame> frames, FrameTest t) {
        for (Frame f : frames) {
            if (t.test(f)) {
                return true;
            }
        }
        return false;
    }

    /** A frame as the console shows it: its text when printable, else {@code 0x} and its hex. */
    static String shown(Frame f) {
        String t = f.printable();
        return t != null ? t : "0x" + f.hex();
    }

    private static int socketType(CaptureEvent ev, String name, PeerTypes types) {
        String[] t = types.of(ev);
        if (t == null) {
            return missing(ev);
        }
        if (name.equalsIgnoreCase(t[0]) || name.equalsIgnoreCase(t[1])) {
            return TRUE;
        }
        return t[0] != null && t[1] != null ? FALSE : missing(ev);
    }

    private static Direction direction(CaptureEvent e) {
        if (e instanceof MessageEvent m) {
            return m.direction();
        }
        if (e instanceof CommandEvent c) {
            return c.direction();
        }
        if (e instanceof HandshakeEvent h) {
            return h.direction();
        }
        return e instanceof ProtocolErrorEvent p ? p.direction() : null;
    }

    /** A field the event does not carry: false for traffic, unknown for the events around it. */
    static int missing(CaptureEvent e) {
        return isTraffic(e) ? FALSE : UNKNOWN;
    }

    /** Messages and commands: what a filter selects; the rest is context, shown unless ruled out. */
    static boolean isTraffic(CaptureEvent e) {
        return e instanceof MessageEvent || e instanceof CommandEvent;
    }

    private static int truth(boolean b) {
        return b ? TRUE : FALSE;
    }
}
