package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import io.zmqtap.ZmqTapException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the TIME values of command-line options: {@code 3}, {@code 3s}, {@code 1.5s}, {@code 500ms},
 * {@code 100us} (or {@code 100µs}); a bare number means seconds.
 *
 * <p>Usage: {@code Duration d = Durations.parse("--duration", "500ms");}
 */
public final class Durations {
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|µs|ms|s)?");

    private Durations() {}

    /** The duration {@code text} names; a one-line {@link ZmqTapException} naming {@code option} if it names none. */
    public static Duration parse(String option, String text) {
        Matcher m = TIME.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new BadValueException("bad " + option + " '" + text + "': expected e.g. 3s, 500ms or 100us");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanosPerUnit = switch (unit) {
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            default -> 1e9;
        };
        return Duration.ofNanos(Math.round(value * nanosPerUnit));
    }
}
