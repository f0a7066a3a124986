package io.zmqtap.filter;

/**
 * Cuts a filter into tokens, one at a time as the {@link Parser} asks, so that the first problem
 * reported is the leftmost one.
 *
 * <ul>
 * <li>words: {@code dir}, {@code and}, {@code SUB}, {@code c3};
 * <li>numbers, with what follows them up to a space or operator: {@code 100}, {@code 1KiB},
 *     {@code 5ms}, {@code 1.5s}, {@code -1}, {@code 0x00ff} (the parser reads them in context);
 * <li>strings in double or single quotes, with escapes {@code \" \' \\ \n \r \t \0 \}{@code uXXXX}; any
 *     other backslash is kept as it is, so regular expressions read naturally: {@code "\d+"};
 * <li>operators {@code == != ~ !~ < <= > >= ( ) [ ]}; any other character is an error token the
 *     parser reports in context.
 * </ul>
 *
 * <p>Usage: {@code Lexer l = new Lexer("size > 1KiB"); l.next(); // WORD size}
 */
final class Lexer {
    enum Kind { WORD, NUMBER, STRING, OP, ERROR, END }

    /**
     * @param text the token as written (a string with its quotes)
     * @param value a string's text after escapes; otherwise {@code text}
     * @param column where it starts, from 1
     */
    record Token(Kind kind, String text, String value, int column) {
        boolean is(Kind k, String t) {
            return kind == k && (k == Kind.WORD ? text.equalsIgnoreCase(t) : text.equals(t));
        }

        /** How an error message names it: {@code 'size'}, {@code "abc"}, {@code end of input}. */
        String describe() {
            return switch (kind) {
                case END -> "end of input";
                case STRING, NUMBER -> text;
                default -> "'" + text + "'";
            };
        }
    }

    private final String in;
    private int pos;

    Lexer(String in) {
        this.in = in;
    }

    Token next() {
        while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= in.length()) {
            return new Token(Kind.END, "", "", start + 1);
        }
        char c = in.charAt(pos);
        if (Character.isLetter(c) || c == '_') {
            while (pos < in.length() && isWordChar(in.charAt(pos))) {
                pos++;
            }
            return token(Kind.WORD, start);
        }
        if (isDigit(c) || c == '-' && pos + 1 < in.length() && isDigit(in.charAt(pos + 1))) {
            pos++;
            while (pos < in.length() && (isWordChar(in.charAt(pos)) || in.charAt(pos) == '.')) {
                pos++;
            }
            return token(Kind.NUMBER, start);
        }
        if (c == '"' || c == '\'') {
            return string(c);
        }
        for (String op : new String[] {"==", "!=", "!~", "<=", ">=", "~", "<", ">", "(", ")", "[", "]"}) {
            if (in.startsWith(op, pos)) {
                pos += op.length();
                return token(Kind.OP, start);
            }
        }
        pos += Character.charCount(in.codePointAt(pos));
        return token(Kind.ERROR, start);
    }

    private Token token(Kind kind, int start) {
        String t = in.substring(start, pos);
        return new Token(kind, t, t, start + 1);
    }

    private Token string(char quote) {
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < in.length()) {
            char c = in.charAt(pos++);
            if (c == quote) {
                return new Token(Kind.STRING, in.substring(start, pos), sb.toString(), start + 1);
            }
            if (c != '\\' || pos >= in.length()) {
                sb.append(c);
                continue;
            }
            char e = in.charAt(pos++);
            switch (e) {
                case '"', '\'', '\\' -> sb.append(e);
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case '0' -> sb.append('\0');
                case 'u' -> sb.append(unicode(pos - 2));
                default -> sb.append('\\').append(e); // a regular expression's own escape: \d, \., \x41
            }
        }
        throw new FilterException(in, start + 1,
                "expected " + quote + " to end the string that starts here, found end of input");
    }

    /** The character of a {@code \}{@code uXXXX} escape whose backslash is at {@code backslash}. */
    private char unicode(int backslash) {
        int end = Math.min(in.length(), pos + 4);
        String digits = in.substring(pos, end);
        if (digits.length() < 4 || !digits.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new FilterException(in, backslash + 1, "expected 4 hex digits after \\u, found '" + digits + "'");
        }
        pos = end;
        return (char) Integer.parseInt(digits, 16);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
