package io.zmqtap.cli;

import io.zmqtap.ZmqTapException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the SIZE values of command-line options: {@code 65536}, {@code 64k} / {@code 64KiB},
 * {@code 16m} / {@code 16MiB}, {@code 1g} / {@code 1GiB}: bytes, or multiples of 1024.
 *
 * <p>Usage: {@code long bytes = ByteSizes.parse("--buffer", "16m");}
 */
final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

    private ByteSizes() {}

    /** The positive number of bytes {@code text} names; a one-line {@link ZmqTapException} naming {@code option} if none. */
    static long parse(String option, String text) {
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
            throw new ZmqTapException("bad " + option + " '" + text + "': expected a size such as 65536, 64k or 16m");
        }
        return value << shift;
    }
}
