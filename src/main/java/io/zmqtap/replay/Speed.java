package io.zmqtap.replay;

import io.zmqtap.BadValueException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How fast a recording is sent again: {@code 1x} keeps the recorded gaps between requests,
 * {@code 2x} halves them, {@code 0.5x} doubles them; {@code max} sends each request as soon as its
 * conversation may (a REQ when the reply before it came, a DEALER while fewer than its window are
 * in flight).
 *
 * <p>Usage: {@code Speed.parse("2x").due(1_000_000_000L) // 500_000_000}
 *
 * @param factor how many times faster than recorded; {@code 0} for {@code max}
 */
public record Speed(double factor) {
    /** As fast as replies come. */
    public static final Speed MAX = new Speed(0);
    /** As recorded. */
    public static final Speed RECORDED = new Speed(1);

    private static final Pattern TIMES = Pattern.compile("(\\d+(?:\\.\\d+)?)x");

    public Speed {
        if (factor < 0 || Double.isNaN(factor) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("speed factor " + factor);
        }
    }

    /** {@code 1x}, {@code 2x}, {@code 0.5x} or {@code max}; anything else is a one-line {@link BadValueException}. */
    public static Speed parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("max")) {
            return MAX;
        }
        Matcher m = TIMES.matcher(s);
        if (m.matches()) {
            double f = Double.parseDouble(m.group(1));
            if (f > 0 && f <= 1_000_000) {
                return new Speed(f);
            }
        }
        throw new BadValueException("bad --speed '" + text + "': expected e.g. 1x, 2x, 0.5x or max");
    }

    public boolean isMax() {
        return factor == 0;
    }

    /**
     * When a request recorded {@code recordedNanos} after the first one is due, in nanoseconds
     * after the replay began; always 0 at {@code max}.
     */
    public long due(long recordedNanos) {
        if (isMax() || recordedNanos <= 0) {
            return 0;
        }
        return Math.round(recordedNanos / factor);
    }

    @Override
    public String toString() {
        if (isMax()) {
            return "max";
        }
        return (factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor)) + "x";
    }
}
