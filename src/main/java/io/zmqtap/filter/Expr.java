package io.zmqtap.filter;

import io.zmqtap.event.Direction;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed filter: plain data, compared by value, printed by {@link Printer} and turned into an
 * evaluator by {@link Compiler}. The constructors bring values to their canonical form (command
 * and socket type names in upper case, {@code conn c3} as {@code 3}), so that printing and parsing
 * again gives an equal tree.
 *
 * <p>Usage: {@code new Expr.And(new Expr.Dir(Direction.IN), new Expr.Compare(Expr.Quantity.SIZE, Expr.CompareOp.GT, 100))}
 */
public sealed interface Expr {
    /** {@code left or right}. */
    record Or(Expr left, Expr right) implements Expr {
        public Or {
            Objects.requireNonNull(left);
            Objects.requireNonNull(right);
        }
    }

    /** {@code left and right}. */
    record And(Expr left, Expr right) implements Expr {
        public And {
            Objects.requireNonNull(left);
            Objects.requireNonNull(right);
        }
    }

    /** {@code not operand}. */
    record Not(Expr operand) implements Expr {
        public Not {
            Objects.requireNonNull(operand);
        }
    }

    /** {@code dir in} or {@code dir out}. */
    record Dir(Direction direction) implements Expr {
        public Dir {
            if (direction != Direction.IN && direction != Direction.OUT) {
                throw new IllegalArgumentException("dir is in or out, not " + direction);
            }
        }
    }

    /**
     * A text or bytes test: {@code identity == "a"}, {@code frame[0] ~ "^w"}, {@code payload == 0x00ff}.
     *
     * @param index the frame for {@link Subject#FRAME} (negative: from the end, -1 the last), else 0
     */
    record Match(Subject subject, int index, MatchOp op, Value value) implements Expr {
        public Match {
            Objects.requireNonNull(subject);
            Objects.requireNonNull(op);
            Objects.requireNonNull(value);
            if (subject != Subject.FRAME && index != 0) {
                throw new IllegalArgumentException(subject.keyword() + " has no index");
            }
            if (op.isRegex() && !(value instanceof Value.Text)) {
                throw new IllegalArgumentException(op.symbol() + " takes a regular expression in quotes, not " + value);
            }
            if (subject == Subject.SOURCE && !(value instanceof Value.Text)) {
                throw new IllegalArgumentException("source is compared with text, not " + value);
            }
        }
    }

    /** A number test: {@code size > 1KiB}, {@code frames == 3}, {@code seq >= 10}, {@code latency > 5ms} (nanoseconds). */
    record Compare(Quantity quantity, CompareOp op, long value) implements Expr {
        public Compare {
            Objects.requireNonNull(quantity);
            Objects.requireNonNull(op);
            if (value < 0) {
                throw new IllegalArgumentException(quantity.keyword() + " is never negative: " + value);
            }
        }
    }

    /** {@code type SUB}: either peer of the event's connection is of this socket type. */
    record SocketType(String name) implements Expr {
        /** The ZMTP socket types (RFC 23, 28, 48-51). */
        public static final Set<String> NAMES = Set.of("PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL",
                "PUSH", "XPUB", "XSUB", "STREAM", "SERVER", "CLIENT", "RADIO", "DISH", "GATHER", "SCATTER", "DGRAM",
                "PEER", "CHANNEL");

        public SocketType {
            name = name.toUpperCase(Locale.ROOT);
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("not a socket type: " + name);
            }
        }
    }

    /** {@code cmd SUBSCRIBE}: a command of this name. */
    record Cmd(String name) implements Expr {
        static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

        public Cmd {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a command name: " + name);
            }
            name = name.toUpperCase(Locale.ROOT);
        }
    }

    /** {@code ping}: a PING or PONG command (heartbeats). */
    record Ping() implements Expr {}

    /** {@code conn 3}: connection {@code c3} (or {@code 3}); {@code conn "flow-a"} names any other id exactly. */
    record Conn(String id) implements Expr {
        static final Pattern NUMBERED = Pattern.compile("[cC]?([0-9]+)");

        public Conn {
            var m = NUMBERED.matcher(id);
            if (m.matches()) {
                id = m.group(1);
            } else if (id.isEmpty()) {
                throw new IllegalArgumentException("empty connection id");
            }
        }

        /** True for a numbered connection ({@code 3} matches {@code c3} and {@code 3}). */
        boolean numbered() {
            return NUMBERED.matcher(id).matches();
        }
    }

    /** What a {@link Match} looks at. */
    enum Subject {
        /** The client's identity (messages and handshakes). */
        IDENTITY("identity"),
        /** Any frame of the body, the frames after the envelope. */
        PAYLOAD("payload"),
        /** The frame at an index. */
        FRAME("frame"),
        /** A SUBSCRIBE's or CANCEL's topic. */
        TOPIC("topic"),
        /** The source's name. */
        SOURCE("source");

        private final String keyword;

        Subject(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** How a {@link Match} compares; {@code !=} and {@code !~} are {@code not} of {@code ==} and {@code ~}. */
    enum MatchOp {
        EQ("=="), NE("!="), MATCHES("~"), NOT_MATCHES("!~");

        private final String symbol;

        MatchOp(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean isRegex() {
            return this == MATCHES || this == NOT_MATCHES;
        }

        public boolean negated() {
            return this == NE || this == NOT_MATCHES;
        }
    }

    /** What a {@link Compare} counts. */
    enum Quantity {
        /** A message's bytes, every frame's wire size together. */
        SIZE("size"),
        /** A message's frame count. */
        FRAMES("frames"),
        /** A message's number within its source. */
        SEQ("seq"),
        /** A reply's time since its request, in nanoseconds. */
        LATENCY("latency");

        private final String keyword;

        Quantity(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** How a {@link Compare} compares. */
    enum CompareOp {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        CompareOp(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** {@code a OP b}. */
        public boolean test(long a, long b) {
            return switch (this) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
            };
        }
    }
}
