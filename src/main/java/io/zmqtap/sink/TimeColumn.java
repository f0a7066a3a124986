package io.zmqtap.sink;

import io.zmqtap.event.TimeText;
import java.time.Instant;
import java.util.Locale;

/**
 * The time that starts each console line, in one of four {@link Mode}s. Delta and relative
 * remember the events before, so each console sink has its own column.
 *
 * <pre>
 * absolute  10:15:02.481                    the local clock, to the millisecond (the default)
 * delta      +0.000412                      seconds since the previous line, to the microsecond
 * relative    12.003104                     seconds since the first line
 * iso       2026-11-26T10:15:02.481234567Z  UTC, as JSON lines' ts
 * </pre>
 *
 * <p>Delta and relative are right-aligned in ten characters, so lines stay aligned below 100 s
 * (delta) or 1000 s (relative); a time before the one it is measured from is negative
 * ({@code -0.000003}), as events of two connections may arrive slightly out of order.
 *
 * <p>Usage: {@code TimeColumn time = new TimeColumn(TimeColumn.Mode.DELTA); time.text(event.time())}
 */
public final class TimeColumn {
    /** How the time prints: see the class comment. */
    public enum Mode {
        ABSOLUTE, DELTA, RELATIVE, ISO;

        /** The mode named {@code name} in any case; anything else is an {@link IllegalArgumentException} listing them. */
        public static Mode parse(String name) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("expected absolute, delta, relative or iso");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int WIDTH = 10;

    private final Mode mode;
    private boolean started;
    // Seconds and nanoseconds apart: a pcapng file's times reach the year 9999, and nanoseconds
    // since the epoch overflow a long past 2262.
    private long firstSecond;
    private int firstNano;
    private long previousSecond;
    private int previousNano;

    public TimeColumn(Mode mode) {
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /** Appends {@link #text(Instant)} to {@code b}: the wall clock without a string of its own. */
    public StringBuilder append(StringBuilder b, Instant t) {
        return mode == Mode.ABSOLUTE ? TimeText.appendClock(b, t) : b.append(text(t));
    }

    /** The column's text for an event at {@code t}; delta and relative also remember {@code t}. */
    public String text(Instant t) {
        switch (mode) {
            case ABSOLUTE:
                return TimeText.clock(t);
            case ISO:
                return TimeText.utc(t);
            default:
                break;
        }
        long second = t.getEpochSecond();
        int nano = t.getNano();
        if (!started) {
            started = true;
            firstSecond = second;
            firstNano = nano;
            previousSecond = second;
            previousNano = nano;
        }
        boolean delta = mode == Mode.DELTA;
        // Instant's range (about 3 x 10^16 seconds either side of 1970) keeps this difference within a long
        long seconds = second - (delta ? previousSecond : firstSecond);
        int nanos = nano - (delta ? previousNano : firstNano);
        previousSecond = second;
        previousNano = nano;
        return seconds(seconds, nanos, delta);
    }

    /** {@code +0.000412} or {@code 12.003104}: {@code nanos} in seconds to the microsecond, right-aligned in {@link #WIDTH}. */
    static String seconds(long nanos, boolean plus) {
        return seconds(nanos / 1_000_000_000L, (int) (nanos % 1_000_000_000L), plus);
    }

    /** As {@link #seconds(long, boolean)}, for {@code seconds} plus {@code nanos} (either sign, below one second). */
    static String seconds(long seconds, int nanos, boolean plus) {
        if (seconds > 0 && nanos < 0) {
            seconds--;
            nanos += 1_000_000_000;
        } else if (seconds < 0 && nanos > 0) {
            seconds++;
            nanos -= 1_000_000_000;
        }
        boolean negative = seconds < 0 || nanos < 0;
        long micros = Math.abs(nanos) / 1000;
        StringBuilder b = new StringBuilder(WIDTH + 4);
        b.append(negative ? "-" : plus ? "+" : "").append(Math.abs(seconds)).append('.');
        long fraction = micros;
        for (long unit = 100_000; unit > 0; unit /= 10) {
            b.append((char) ('0' + fraction / unit % 10));
        }
        while (b.length() < WIDTH) {
            b.insert(0, ' ');
        }
        return b.toString();
    }
}
