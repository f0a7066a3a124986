package io.zmqtap.capture;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One ZeroMQ message frame as captured.
 *
 * <p>{@code data} may hold fewer bytes than the frame had on the wire when a source bounds its
 * memory (a tap with {@code --max-frame}); {@code size} is always the true size. The array is not
 * copied: sources hand over arrays they no longer touch, and readers must not modify them.
 *
 * <p>Usage: {@code Frame f = Frame.of("hello"); f.isText(); // true}
 *
 * @param data the captured bytes (all of them, or the first bytes when truncated)
 * @param size the frame's size on the wire
 */
public record Frame(byte[] data, long size) {
    public static final Frame EMPTY = new Frame(new byte[0], 0);

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

    /** True when only the first {@code data.length} of {@code size} bytes were kept. */
    public boolean truncated() {
        return size > data.length;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** True when every captured byte is printable ASCII (space to tilde, or tab). */
    public boolean isText() {
        for (byte b : data) {
            if ((b < 0x20 || b > 0x7e) && b != '\t') {
                return false;
            }
        }
        return true;
    }

    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** Lower-case hex of the captured bytes, no separators. */
    public String hex() {
        StringBuilder sb = new StringBuilder(data.length * 2);
        for (byte b : data) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.size == size && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return isText() ? '"' + text() + '"' : "0x" + hex();
    }
}
