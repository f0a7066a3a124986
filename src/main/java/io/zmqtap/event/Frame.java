package io.zmqtap.event;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One ZeroMQ message frame as captured.
 *
 * <p>{@code data} may hold fewer bytes than the frame had on the wire when a source bounds its
 * memory (a tap with {@code --snap}); {@code size} is always the true size. The array is not
 * copied: sources hand over arrays they no longer touch, and readers must not modify them.
 *
 * <p>A frame is <em>text</em> when its bytes are valid UTF-8 without control characters (tab,
 * newline and carriage return allowed): {@code "café"}, {@code "é ünïcødé ✓"}. Anything else is
 * shown as hex. A truncated frame cut inside a character is still text up to the cut.
 *
 * <p>Usage: {@code Frame f = Frame.of("hello"); f.isText(); // true}
 *
 * @param data the captured bytes (all of them, or the first bytes when truncated)
 * @param size the frame's size on the wire
 */
public record Frame(byte[] data, long size) {
    public static final Frame EMPTY = new Frame(new byte[0], 0);

    /**
     * The data of every redacted frame: one shared array, so a redacted frame is told from a frame
     * cut to nothing ({@code --snap 0}) without a field every frame would pay for.
     */
    private static final byte[] REDACTED = new byte[0];

    public Frame {
        if (size < data.length) {
            throw new IllegalArgumentException("size " + size + " < captured " + data.length);
        }
    }

    public static Frame of(byte[] data) {
        return new Frame(data, data.length);
    }

    public static Frame of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A frame whose bytes were masked by {@code --redact}: only its size is kept. An empty frame
     * hides nothing and stays {@link #EMPTY}.
     *
     * <p>Usage: {@code Frame.redacted(12).isRedacted(); // true}
     */
    public static Frame redacted(long size) {
        return size == 0 ? EMPTY : new Frame(REDACTED, size);
    }

    /** True for a frame made by {@link #redacted}: its bytes were masked, {@link #size()} is true. */
    public boolean isRedacted() {
        return data == REDACTED;
    }

    /** True when only the first {@code data.length} of {@code size} bytes were kept. */
    public boolean truncated() {
        return size > data.length;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** True when the captured bytes are printable UTF-8 (see the class comment). */
    public boolean isText() {
        return text(data, truncated()) != null;
    }

    /**
     * The bytes as text when they are printable UTF-8, else null: one decoding for the callers that
     * would otherwise ask {@link #isText()} and then {@link #text()} (every frame of every JSON line).
     */
    public String printable() {
        return text(data, truncated());
    }

    /** The bytes as text; replacement characters where they are not UTF-8 (check {@link #isText()} first). */
    public String text() {
        String s = text(data, truncated());
        return s != null ? s : new String(data, StandardCharsets.UTF_8);
    }

    /** Lower-case hex of the captured bytes, no separators. */
    public String hex() {
        StringBuilder sb = new StringBuilder(data.length * 2);
        for (byte b : data) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** {@code "text"} when printable, {@code 0x…} otherwise. */
    @Override
    public String toString() {
        String t = printable();
        return t != null ? '"' + t + '"' : "0x" + hex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.size == size && Arrays.equals(f.data, data);
    }

    /** Keyed ({@link KeyedHash}): a peer chooses its routing ids, and must not be able to make them collide. */
    @Override
    public int hashCode() {
        return KeyedHash.of(data) * 31 + Long.hashCode(size);
    }

    /**
     * The printable text of {@code b}, or null. ASCII is checked byte by byte (the common case, and
     * no decoder); anything else is decoded strictly. {@code cut}: a sequence left incomplete at the
     * end is the truncation's doing, not bad bytes.
     */
    static String text(byte[] b, boolean cut) {
        boolean ascii = true;
        for (byte c : b) {
            if (c < 0) {
                ascii = false;
                break;
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f) {
                return null;
            }
        }
        if (ascii) {
            return new String(b, StandardCharsets.US_ASCII);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(b.length);
        var result = decoder.decode(in, out, true);
        if (result.isError() && !(cut && result.isMalformed() && in.remaining() < 4 && startsSequence(b, in.position()))) {
            return null;
        }
        out.flip();
        String s = out.toString();
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isISOControl(cp) && cp != '\t' && cp != '\n' && cp != '\r'
                    || Character.getType(cp) == Character.UNASSIGNED || Character.getType(cp) == Character.PRIVATE_USE) {
                return null;
            }
            i += Character.charCount(cp);
        }
        return s;
    }

    /** True when {@code b[at]} starts a multi-byte UTF-8 sequence (what a cut may leave unfinished). */
    private static boolean startsSequence(byte[] b, int at) {
        return at < b.length && (b[at] & 0xc0) == 0xc0;
    }
}
