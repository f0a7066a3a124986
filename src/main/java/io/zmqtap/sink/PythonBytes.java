package io.zmqtap.sink;

import java.util.List;

/**
 * Writes frames the way Python prints a list of {@code bytes}, e.g. {@code [b'in', b'\x00k\x8bEg', b'', b'0']},
 * so zmqtap's raw output matches what a pyzmq monitor client prints for the same feed.
 */
public final class PythonBytes {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonBytes() {}

    /** Python's {@code repr(bytes)}: quotes with ' unless the bytes hold ' and no ". */
    public static String repr(byte[] data) {
        boolean hasSingle = false;
        boolean hasDouble = false;
        for (byte b : data) {
            hasSingle |= b == '\'';
            hasDouble |= b == '"';
        }
        char quote = hasSingle && !hasDouble ? '"' : '\'';
        StringBuilder sb = new StringBuilder(data.length + 3).append('b').append(quote);
        for (byte b : data) {
            int c = b & 0xff;
            if (c == quote || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append((char) c);
            }
        }
        return sb.append(quote).toString();
    }

    /** Python's {@code repr(list_of_bytes)}. */
    public static String list(List<byte[]> frames) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(repr(frames.get(i)));
        }
        return sb.append(']').toString();
    }
}
