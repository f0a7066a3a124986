package io.zmqtap.filter;

import io.zmqtap.event.Direction;
import io.zmqtap.filter.Expr.Subject;

/**
 * An {@link Expr} as canonical filter text: lower-case keywords, strings in double quotes,
 * sizes and times in their largest exact unit, parentheses only where precedence needs them.
 * Parsing the text gives an equal tree.
 *
 * <p>Usage: {@code Printer.print(Parser.parse("(dir  IN)and size>1024")) // "dir in and size > 1KiB"}
 */
final class Printer {
    private static final int OR = 1;
    private static final int AND = 2;
    private static final int NOT = 3;
    private static final int TEST = 4;

    private Printer() {}

    static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        print(e, sb);
        return sb.toString();
    }

    private static void print(Expr e, StringBuilder sb) {
        if (e instanceof Expr.Or or) {
            binary(or.left(), " or ", or.right(), OR, sb);
        } else if (e instanceof Expr.And and) {
            binary(and.left(), " and ", and.right(), AND, sb);
        } else if (e instanceof Expr.Not not) {
            sb.append("not ");
            operand(not.operand(), NOT, sb);
        } else if (e instanceof Expr.Dir d) {
            sb.append("dir ").append(d.direction() == Direction.IN ? "in" : "out");
        } else if (e instanceof Expr.Match m) {
            sb.append(m.subject().keyword());
            if (m.subject() == Subject.FRAME) {
                sb.append('[').append(m.index()).append(']');
            }
            sb.append(' ').append(m.op().symbol()).append(' ');
            value(m.value(), sb);
        } else if (e instanceof Expr.Compare c) {
            sb.append(c.quantity().keyword()).append(' ').append(c.op().symbol()).append(' ').append(switch (c.quantity()) {
                case SIZE -> Units.printSize(c.value());
                case LATENCY -> Units.printTime(c.value());
                default -> Long.toString(c.value());
            });
        } else if (e instanceof Expr.SocketType t) {
            sb.append("type ").append(t.name());
        } else if (e instanceof Expr.Cmd c) {
            sb.append("cmd ").append(c.name());
        } else if (e instanceof Expr.Ping) {
            sb.append("ping");
        } else if (e instanceof Expr.Conn c) {
            sb.append("conn ");
            if (c.numbered()) {
                sb.append(c.id());
            } else {
                string(c.id(), sb);
            }
        } else {
            throw new IllegalArgumentException("unknown expression " + e);
        }
    }

    /**
     * Operators group from the left: a right operand of the same precedence keeps its
     * parentheses, {@code a or (b or c)}, so that it parses back to the same tree.
     */
    private static void binary(Expr left, String op, Expr right, int level, StringBuilder sb) {
        operand(left, level, sb);
        sb.append(op);
        operand(right, level + 1, sb);
    }

    private static void operand(Expr e, int atLeast, StringBuilder sb) {
        boolean parens = precedence(e) < atLeast;
        if (parens) {
            sb.append('(');
        }
        print(e, sb);
        if (parens) {
            sb.append(')');
        }
    }

    private static int precedence(Expr e) {
        if (e instanceof Expr.Or) {
            return OR;
        }
        if (e instanceof Expr.And) {
            return AND;
        }
        return e instanceof Expr.Not ? NOT : TEST;
    }

    private static void value(Value v, StringBuilder sb) {
        if (v instanceof Value.Hex h) {
            sb.append("0x").append(h.digits());
        } else {
            string(((Value.Text) v).text(), sb);
        }
    }

    /** In double quotes, with the escapes the lexer reads; other control characters as {@code \}{@code uXXXX}. */
    static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || Character.isSurrogate(c) && !validPair(s, i)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** True when the surrogate at {@code i} is half of a well-formed pair. */
    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
