package io.zmqtap.filter;

import io.zmqtap.event.Direction;
import io.zmqtap.filter.Expr.CompareOp;
import io.zmqtap.filter.Expr.MatchOp;
import io.zmqtap.filter.Expr.Quantity;
import io.zmqtap.filter.Expr.Subject;
import io.zmqtap.filter.Lexer.Kind;
import io.zmqtap.filter.Lexer.Token;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive descent from the grammar in {@code docs/filters.md} to an {@link Expr}: {@code or}
 * binds loosest, then {@code and}, then {@code not}; {@code and} and {@code or} group from the left.
 * Every error names the column and what was expected there.
 *
 * <p>Usage: {@code Expr e = Parser.parse("dir in and not ping");}
 */
final class Parser {
    static final String TESTS = "dir, identity, size, frames, frame[N], payload, topic, source, seq, latency, type, "
            + "cmd, ping or conn";

    private final String input;
    private final Lexer lexer;
    private Token token;

    private Parser(String input) {
        this.input = input;
        this.lexer = new Lexer(input);
        this.token = lexer.next();
    }

    /** The tree {@code input} describes; a {@link FilterException} at its first problem. */
    static Expr parse(String input) {
        Parser p = new Parser(input);
        Expr e = p.or();
        if (p.token.kind() != Kind.END) {
            throw p.error("expected 'and', 'or' or end of input");
        }
        return e;
    }

    private Expr or() {
        Expr left = and();
        while (word("or")) {
            left = new Expr.Or(left, and());
        }
        return left;
    }

    private Expr and() {
        Expr left = unary();
        while (word("and")) {
            left = new Expr.And(left, unary());
        }
        return left;
    }

    private Expr unary() {
        return word("not") ? new Expr.Not(unary()) : primary();
    }

    private Expr primary() {
        if (token.is(Kind.OP, "(")) {
            int open = token.column();
            advance();
            Expr inner = or();
            if (!token.is(Kind.OP, ")")) {
                throw error("expected 'and', 'or' or ')' to close the '(' at column " + open);
            }
            advance();
            return inner;
        }
        if (token.kind() != Kind.WORD) {
            throw error("expected a test (" + TESTS + "), 'not' or '('");
        }
        Token field = token;
        String name = field.text().toLowerCase(Locale.ROOT);
        advance();
        return switch (name) {
            case "dir" -> dir();
            case "identity" -> match(Subject.IDENTITY, 0, "'identity'");
            case "payload" -> match(Subject.PAYLOAD, 0, "'payload'");
            case "topic" -> match(Subject.TOPIC, 0, "'topic'");
            case "source" -> match(Subject.SOURCE, 0, "'source'");
            case "frame" -> frame();
            case "size" -> compare(Quantity.SIZE);
            case "frames" -> compare(Quantity.FRAMES);
            case "seq" -> compare(Quantity.SEQ);
            case "latency" -> compare(Quantity.LATENCY);
            case "type" -> socketType();
            case "cmd" -> cmd();
            case "ping" -> new Expr.Ping();
            case "conn" -> conn();
            default -> throw new FilterException(input, field.column(),
                    "expected a test (" + TESTS + "), 'not' or '(', found " + field.describe());
        };
    }

    private Expr dir() {
        if (token.is(Kind.WORD, "in") || token.is(Kind.WORD, "out")) {
            Direction d = token.text().equalsIgnoreCase("in") ? Direction.IN : Direction.OUT;
            advance();
            return new Expr.Dir(d);
        }
        throw error("expected in or out after 'dir'");
    }

    private Expr frame() {
        if (!token.is(Kind.OP, "[")) {
            throw error("expected '[' after 'frame', as in frame[0]");
        }
        advance();
        int index;
        try {
            index = token.kind() == Kind.NUMBER ? Integer.parseInt(token.text()) : Integer.MIN_VALUE;
        } catch (NumberFormatException e) {
            index = Integer.MIN_VALUE;
        }
        if (index == Integer.MIN_VALUE) {
            throw error("expected a frame index such as 0, or -1 for the last frame");
        }
        advance();
        if (!token.is(Kind.OP, "]")) {
            throw error("expected ']' after the frame index");
        }
        advance();
        return match(Subject.FRAME, index, "'frame[" + index + "]'");
    }

    private Expr match(Subject subject, int index, String after) {
        MatchOp op = null;
        for (MatchOp o : MatchOp.values()) {
            if (token.is(Kind.OP, o.symbol())) {
                op = o;
            }
        }
        if (op == null) {
            throw error("expected ==, !=, ~ or !~ after " + after);
        }
        String opText = "'" + op.symbol() + "'";
        advance();
        Token v = token;
        if (op.isRegex()) {
            if (v.kind() != Kind.STRING) {
                throw error("expected a regular expression in quotes after " + opText);
            }
            try {
                Pattern.compile(v.value());
            } catch (PatternSyntaxException e) {
                throw new FilterException(input, v.column(),
                        "expected a regular expression, found " + v.text() + " (" + e.getDescription() + ")");
            }
            advance();
            return new Expr.Match(subject, index, op, new Value.Text(v.value()));
        }
        if (v.kind() == Kind.STRING) {
            advance();
            return new Expr.Match(subject, index, op, new Value.Text(v.value()));
        }
        if (subject == Subject.SOURCE) {
            throw error("expected a string in quotes after " + opText);
        }
        if (v.kind() == Kind.NUMBER && (v.text().startsWith("0x") || v.text().startsWith("0X"))) {
            String digits = v.text().substring(2);
            if (!digits.matches("([0-9a-fA-F]{2})*")) {
                throw error("expected bytes as an even number of hex digits, such as 0x00ff");
            }
            advance();
            return new Expr.Match(subject, index, op, new Value.Hex(digits));
        }
        throw error("expected a string such as \"text\" or bytes such as 0x00ff after " + opText);
    }

    private Expr compare(Quantity q) {
        CompareOp op = null;
        for (CompareOp o : CompareOp.values()) {
            if (token.is(Kind.OP, o.symbol())) {
                op = o;
            }
        }
        if (op == null) {
            throw error("expected ==, !=, <, <=, > or >= after '" + q.keyword() + "'");
        }
        String after = " after '" + op.symbol() + "'";
        advance();
        String text = token.kind() == Kind.NUMBER ? token.text() : "";
        long value = switch (q) {
            case SIZE -> Units.size(text);
            case LATENCY -> Units.time(text);
            default -> Units.count(text);
        };
        if (value < 0) {
            throw error(switch (q) {
                case SIZE -> "expected a size such as 100 or 1KiB" + after;
                case LATENCY -> "expected a time such as 5ms (units ns, us, ms, s)" + after;
                default -> "expected a whole number" + after;
            });
        }
        advance();
        return new Expr.Compare(q, op, value);
    }

    private Expr socketType() {
        if (token.kind() == Kind.WORD && Expr.SocketType.NAMES.contains(token.text().toUpperCase(Locale.ROOT))) {
            Expr e = new Expr.SocketType(token.text());
            advance();
            return e;
        }
        throw error("expected a socket type such as SUB, DEALER or ROUTER after 'type'");
    }

    private Expr cmd() {
        if (token.kind() == Kind.WORD && Expr.Cmd.NAME.matcher(token.text()).matches()) {
            Expr e = new Expr.Cmd(token.text());
            advance();
            return e;
        }
        throw error("expected a command name such as SUBSCRIBE or PING after 'cmd'");
    }

    private Expr conn() {
        boolean numbered = (token.kind() == Kind.NUMBER || token.kind() == Kind.WORD)
                && Expr.Conn.NUMBERED.matcher(token.text()).matches();
        if (numbered || token.kind() == Kind.STRING && !token.value().isEmpty()) {
            Expr e = new Expr.Conn(token.value());
            advance();
            return e;
        }
        throw error("expected a connection such as 3, c3 or \"name\" after 'conn'");
    }

    /** Takes the word {@code w} if it comes next. */
    private boolean word(String w) {
        if (token.is(Kind.WORD, w)) {
            advance();
            return true;
        }
        return false;
    }

    private void advance() {
        token = lexer.next();
    }

    /** {@code expected}, found the current token, at its column. */
    private FilterException error(String expected) {
        return new FilterException(input, token.column(), expected + ", found " + token.describe());
    }
}
