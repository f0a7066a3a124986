package io.zmqtap.bench;

import java.util.Locale;

/**
 * One traffic pattern the load generator plays: request/reply round trips or a pipelined stream,
 * with a payload size and the number of requests kept outstanding.
 *
 * <p>Usage: {@code Load.pipelined(16, 100).label() // "DEALER pipelined, 16 B, window 100"}
 *
 * @param kind round trips (REQ, window 1) or pipelined (DEALER)
 * @param size payload bytes per request and per reply
 * @param window requests kept outstanding (1 for round trips)
 */
public record Load(Kind kind, int size, int window) {
    /** How requests are sent. */
    public enum Kind {
        /** A REQ socket: send, wait for the reply, send again. */
        ROUND_TRIP("req", "REQ round trips"),
        /** A DEALER socket keeping up to {@code window} requests outstanding. */
        PIPELINED("dealer", "DEALER pipelined");

        private final String code;
        private final String title;

        Kind(String code, String title) {
            this.code = code;
            this.title = title;
        }

        /** Short name used in JSON, e.g. {@code req}. */
        public String code() {
            return code;
        }

        public String title() {
            return title;
        }
    }

    public Load {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        if (window < 1 || (kind == Kind.ROUND_TRIP && window != 1)) {
            throw new IllegalArgumentException("bad window " + window + " for " + kind);
        }
    }

    public static Load roundTrip(int size) {
        return new Load(Kind.ROUND_TRIP, size, 1);
    }

    public static Load pipelined(int size, int window) {
        return new Load(Kind.PIPELINED, size, window);
    }

    /** A heading such as {@code REQ round trips, 1 KiB} or {@code DEALER pipelined, 16 B, window 100}. */
    public String label() {
        String s = kind.title() + ", " + sizeText(size);
        return kind == Kind.PIPELINED ? s + ", window " + window : s;
    }

    /** {@code 16 B}, {@code 1 KiB}, {@code 64 KiB}, {@code 1500 B}. */
    public static String sizeText(int size) {
        if (size >= 1024 && size % 1024 == 0) {
            return size / 1024 + " KiB";
        }
        return size + " B";
    }

    @Override
    public String toString() {
        return label().toLowerCase(Locale.ROOT);
    }
}
