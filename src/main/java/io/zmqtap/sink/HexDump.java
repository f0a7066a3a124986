package io.zmqtap.sink;

/**
 * A classic hexdump of bytes, as {@code hexdump -C} and {@code tcpdump -X} print them: the offset,
 * sixteen bytes in hex (a gap after the eighth), then the same bytes as ASCII with {@code .} for
 * anything not printable. The last line is padded so its ASCII gutter lines up with the others.
 *
 * <pre>
 * 0000  48 65 6c 6c 6f 2c 20 5a  65 72 6f 4d 51 00 01 ff  |Hello, ZeroMQ...|
 * 0010  63 61 66 c3 a9                                    |caf..|
 * </pre>
 *
 * <p>Offsets have four hex digits, eight from 64 KiB on. Nothing is printed for no bytes. Pure: no
 * I/O, no state; it appends to the caller's builder so a console line and its dump are one write.
 *
 * <p>Usage: {@code HexDump.append(sb, frame.data(), 64, "      ", "\n")}
 */
public final class HexDump {
    /** Bytes per line. */
    public static final int WIDTH = 16;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private HexDump() {}

    /** The dump of all of {@code data}, every line ending in {@code \n}; empty for no bytes. */
    public static String of(byte[] data) {
        return append(new StringBuilder(), data, data.length, "", "\n").toString();
    }

    /**
     * Appends the dump of the first {@code length} bytes of {@code data} (all of them when it has
     * fewer), each line starting with {@code indent} and ending with {@code eol}.
     *
     * @return {@code b}
     */
    public static StringBuilder append(StringBuilder b, byte[] data, int length, String indent, String eol) {
        int n = Math.min(length, data.length);
        int offsetDigits = n > 0x10000 ? 8 : 4;
        for (int line = 0; line < n; line += WIDTH) {
            b.append(indent);
            for (int shift = (offsetDigits - 1) * 4; shift >= 0; shift -= 4) {
                b.append(HEX[(line >>> shift) & 0xf]);
            }
            b.append("  ");
            int end = Math.min(line + WIDTH, n);
            for (int i = line; i < line + WIDTH; i++) {
                if (i == line + WIDTH / 2) {
                    b.append(' ');
                }
                if (i < end) {
                    b.append(HEX[(data[i] >> 4) & 0xf]).append(HEX[data[i] & 0xf]).append(' ');
                } else {
                    b.append("   ");
                }
            }
            b.append(" |");
            for (int i = line; i < end; i++) {
                int c = data[i] & 0xff;
                b.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
            }
            b.append('|').append(eol);
        }
        return b;
    }
}
