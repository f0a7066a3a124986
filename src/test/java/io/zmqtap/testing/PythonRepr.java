package io.zmqtap.testing;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back what Python prints for a list of {@code bytes}, e.g. {@code [b'in', b'\x00k\x8bEg', b'', b'0']},
 * so tests can check the exact bytes a Python peer received.
 *
 * <p>Usage: {@code List<byte[]> frames = PythonRepr.bytesList(line);}
 */
public final class PythonRepr {
    private final String text;
    private int pos;

    private PythonRepr(String text) {
        this.text = text;
    }

    /** Parses Python's {@code repr(list_of_bytes)}; fails on anything else. */
    public static List<byte[]> bytesList(String text) {
        PythonRepr p = new PythonRepr(text);
        List<byte[]> frames = new ArrayList<>();
        p.expect('[');
        if (p.peek() == ']') {
            p.pos++;
        } else {
            do {
                frames.add(p.bytes());
            } while (p.separator());
        }
        if (p.pos != text.length()) {
            throw p.error("trailing characters");
        }
        return frames;
    }

    private boolean separator() {
        char c = next();
        if (c == ']') {
            return false;
        }
        if (c != ',' || next() != ' ') {
            throw error("expected ', ' or ']'");
        }
        return true;
    }

    private byte[] bytes() {
        expect('b');
        char quote = next();
        if (quote != '\'' && quote != '"') {
            throw error("expected a quote");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        char c;
        while ((c = next()) != quote) {
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char e = next();
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case '\\', '\'', '"' -> out.write(e);
                case 'x' -> {
                    out.write(Integer.parseInt(text.substring(pos, pos + 2), 16));
                    pos += 2;
                }
                default -> throw error("unknown escape \\" + e);
            }
        }
        return out.toByteArray();
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + pos + " in " + text);
    }
}
