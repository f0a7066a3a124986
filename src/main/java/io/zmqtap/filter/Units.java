package io.zmqtap.filter;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and times in filters, read and printed. Sizes: a whole number of bytes, optionally with
 * {@code B}, {@code KiB}/{@code KB}/{@code K}, {@code MiB}, {@code GiB} (powers of 1024, as every
 * other zmqtap size). Times: a number with {@code ns}, {@code us} ({@code µs}), {@code ms} or
 * {@code s}; {@code 1.5ms} is fine as long as it comes to whole nanoseconds.
 *
 * <p>Usage: {@code Units.size("1KiB") // 1024}, {@code Units.printTime(5_000_000) // "5ms"}
 */
final class Units {
    private static final Pattern SIZE = Pattern.compile("([0-9]+)(b|k|kb|kib|m|mb|mib|g|gb|gib)?");
    private static final Pattern TIME = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|\u00b5s|\u03bcs|ms|s)?");
    private static final String[] SIZE_UNITS = {"GiB", "MiB", "KiB"};
    private static final String[] TIME_UNITS = {"s", "ms", "us"};
    private static final long[] TIME_NANOS = {1_000_000_000L, 1_000_000L, 1_000L};

    private Units() {}

    /** Bytes, or -1 when {@code text} is not a size (or too big). */
    static long size(String text) {
        Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return -1;
        }
        int shift = m.group(2) == null ? 0 : switch (m.group(2).charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        return scaled(new BigDecimal(m.group(1)), BigDecimal.valueOf(1L << shift));
    }

    /** A whole number, or -1 when {@code text} is not one (or too big). */
    static long count(String text) {
        return text.matches("[0-9]+") ? scaled(new BigDecimal(text), BigDecimal.ONE) : -1;
    }

    /** Nanoseconds, -1 when {@code text} is not a time with a unit (or too long or finer than 1 ns). */
    static long time(String text) {
        Matcher m = TIME.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(2) == null) {
            return -1;
        }
        long unit = switch (m.group(2)) {
            case "ns" -> 1;
            case "ms" -> 1_000_000;
            case "s" -> 1_000_000_000;
            default -> 1_000; // us, µs, μs
        };
        return scaled(new BigDecimal(m.group(1)), BigDecimal.valueOf(unit));
    }

    /** A whole number of bytes ({@code 100}) or the largest unit it is a multiple of ({@code 1KiB}). */
    static String printSize(long bytes) {
        for (int i = 0; i < SIZE_UNITS.length; i++) {
            long unit = 1L << (30 - 10 * i);
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + SIZE_UNITS[i];
            }
        }
        return Long.toString(bytes);
    }

    /** The largest unit {@code nanos} is a multiple of: {@code 5ms}, {@code 1500us}, {@code 7ns}. */
    static String printTime(long nanos) {
        for (int i = 0; i < TIME_UNITS.length; i++) {
            if (nanos != 0 && nanos % TIME_NANOS[i] == 0) {
                return nanos / TIME_NANOS[i] + TIME_UNITS[i];
            }
        }
        return nanos + "ns";
    }

    private static long scaled(BigDecimal n, BigDecimal unit) {
        try {
            return n.multiply(unit).longValueExact();
        } catch (ArithmeticException e) {
            return -1; // a fraction of the smallest unit, or beyond a long
        }
    }
}
