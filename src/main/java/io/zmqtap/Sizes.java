package io.zmqtap;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the SIZE values of command-line options: {@code 4096}, {@code 64KiB} / {@code 64k},
 * {@code 256MiB} / {@code 256m}, {@code 1GiB} / {@code 1g}: bytes, or multiples of 1024
 * ({@code KB}, {@code MB}, {@code GB} mean the same powers of 1024).
 *
 * <p>Usage: {@code long bytes = Sizes.parse("--max-memory", "512MiB");}
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    private Sizes() {}

    /** The positive number of bytes {@code text} names; a one-line {@link BadValueException} naming {@code option} otherwise. */
    public static long parse(String option, String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        long value;
        try {
            value = m.matches() ? Long.parseLong(m.group(1)) : 0;
        } catch (NumberFormatException e) {
            value = 0; // too many digits: reported below
        }
        String unit = m.matches() && m.group(2) != null ? m.group(2) : "b";
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        if (value <= 0 || value > Long.MAX_VALUE >> shift) {
            throw new BadValueException("bad " + option + " '" + text + "': expected a size such as 4096, 64KiB or 256MiB");
        }
        return value << shift;
    }
}
