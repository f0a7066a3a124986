package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the TIME values of command-line options: a number with a unit, {@code 100us} (or
 * {@code 100µs}), {@code 500ms}, {@code 3s}, {@code 1.5s}, {@code 2m}, {@code 1h}; or {@code 0}
 * (off). Any other bare number is refused: whether {@code 5} meant seconds or milliseconds differed
 * between options once, so the unit is always written out.
 *
 * <p>Usage: {@code Duration d = Durations.parse("--duration", "500ms");}
 */
public final class Durations {
    // µ is the micro sign (U+00B5), μ the Greek letter (U+03BC): keyboards give either
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|\u00b5s|\u03bcs|ms|s|m|h)?");

    private Durations() {}

    /**
     * The duration {@code text} names; a one-line {@link ZmqTapException} naming {@code option} if it
     * names none, e.g. {@code bad --stats '5': add a unit, e.g. 5s or 5ms}.
     */
    public static Duration parse(String option, String text) {
        Matcher m = TIME.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new BadValueException("bad " + option + " '" + text + "': expected e.g. 3s, 500ms or 100us");
        }
        double value = Double.parseDouble(m.group(1));
        if (m.group(2) == null) {
            if (value == 0) {
                return Duration.ZERO;
            }
            throw new BadValueException("bad " + option + " '" + text + "': add a unit, e.g. " + m.group(1) + "s or "
                    + m.group(1) + "ms");
        }
        double nanos = value * nanosPerUnit(m.group(2));
        if (nanos >= Long.MAX_VALUE) {
            throw new BadValueException("bad " + option + " '" + text + "': too long");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    private static double nanosPerUnit(String unit) {
        return switch (unit) {
            case "h" -> 3600e9;
            case "m" -> 60e9;
            case "s" -> 1e9;
            case "ms" -> 1e6;
            default -> 1e3; // us, µs, μs
        };
    }
}
