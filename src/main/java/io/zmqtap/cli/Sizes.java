package io.zmqtap.cli;

import io.zmqtap.BadValueException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the SIZE values of command-line options: {@code 4096}, {@code 64KiB}, {@code 256MiB},
 * {@code 1GiB} ({@code KB}, {@code MB}, {@code GB} and {@code k}, {@code m}, {@code g} mean the same
 * powers of 1024).
 *
 * <p>Usage: {@code long bytes = Sizes.parse("--max-memory", "512MiB");}
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    private Sizes() {}

    /** The bytes {@code text} names; a one-line {@link BadValueException} naming {@code option} otherwise. */
    public static long parse(String option, String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1).length() > 12) {
            throw new BadValueException("bad " + option + " '" + text + "': expected a size such as 4096, 64KiB or 256MiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        return n << shift;
    }
}
