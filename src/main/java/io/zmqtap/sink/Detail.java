package io.zmqtap.sink;

import java.util.Locale;

/**
 * How much of each message the console shows, from least to most, as okhttp's logging levels.
 * Handshakes, subscriptions, connections, notices, errors and statistics print the same at every
 * level but {@link #SUMMARY}. docs/output.md shows a sample of each.
 *
 * <p>Usage: {@code ConsoleSink.builder(out).detail(Detail.FULL).build()}
 */
public enum Detail {
    /**
     * No line per message, command, handshake or connection: only notices, protocol errors and
     * statistics ({@code --quiet}).
     */
    SUMMARY,
    /**
     * One line per message without its payload: its frame count, total size and each frame's size.
     * <pre>10:15:02.481  c1  in   client_id_abc     2 frames  1 B  [0 1]</pre>
     */
    MESSAGES,
    /**
     * One line per message with every frame, each cut at {@code --max-bytes} (the default).
     * <pre>10:15:02.481  c1  in   client_id_abc     | "3"</pre>
     */
    FRAMES,
    /**
     * The {@link #MESSAGES} line, then each frame whole on its own line: its number, whether the
     * MORE flag was set (more frames follow) or it was the last, its size and its payload.
     * <pre>
     * 10:15:02.481  c1  in   client_id_abc     2 frames  1 B  [0 1]
     *     frame 1/2  more  0 B  |
     *     frame 2/2  last  1 B  "3"
     * </pre>
     */
    FULL;

    /** The level named {@code name} in any case; anything else is an {@link IllegalArgumentException} listing them. */
    public static Detail parse(String name) {
        for (Detail d : values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("expected summary, messages, frames or full");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
