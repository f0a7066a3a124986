package io.zmqtap.event;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The two ways events print their time: RFC 3339 in UTC with nanoseconds for JSON
 * ({@code 2026-11-26T10:15:02.481234000Z}) and the local wall clock to the millisecond for people
 * ({@code 10:15:02.481}).
 *
 * <p>A capture file prints millions of times, most of them within the same second as the one
 * before: the part up to the second is formatted once per second and kept, the fraction is
 * appended by hand. Thread-safe.
 *
 * <p>Usage: {@code TimeText.utc(event.time())}, {@code TimeText.clock(event.time())}
 */
public final class TimeText {
    private static final DateTimeFormatter UTC_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK_SECONDS =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

    /** A second and its text; replaced whole, so a reader never sees one without the other. */
    private record Second(long epochSecond, String text) {}

    private static volatile Second utc = new Second(Long.MIN_VALUE, "");
    private static volatile Second clock = new Second(Long.MIN_VALUE, "");

    private TimeText() {}

    /** Room for the longest {@link #utc(Instant)} text: year {@code +999999999}'s takes 36 chars. */
    public static final int UTC_MAX_LENGTH = 40;

    /** RFC 3339 in UTC with nine fraction digits, e.g. {@code 2026-11-26T10:15:02.481234000Z}. */
    public static String utc(Instant t) {
        char[] into = new char[UTC_MAX_LENGTH];
        return new String(into, 0, utc(t, into));
    }

    /**
     * Writes {@link #utc(Instant)}'s text into {@code into} from index 0 and returns its length:
     * no string made, for a writer that takes chars. {@code into} must hold {@link #UTC_MAX_LENGTH}
     * chars: years past 9999 (a corrupt timestamp can say so) take more than the usual 30.
     */
    public static int utc(Instant t, char[] into) {
        Second s = utc;
        if (s.epochSecond() != t.getEpochSecond()) {
            s = new Second(t.getEpochSecond(), UTC_SECONDS.format(t));
            utc = s;
        }
        String seconds = s.text();
        int n = seconds.length();
        seconds.getChars(0, n, into, 0);
        into[n++] = '.';
        for (int unit = 100_000_000, nano = t.getNano(); unit > 0; unit /= 10) {
            into[n++] = (char) ('0' + nano / unit % 10);
        }
        into[n++] = 'Z';
        return n;
    }

    /** The local time of day to the millisecond, e.g. {@code 10:15:02.481}. */
    public static String clock(Instant t) {
        return appendClock(new StringBuilder(12), t).toString();
    }

    /** Appends {@link #clock(Instant)}'s text to {@code b}, making no string of its own. */
    public static StringBuilder appendClock(StringBuilder b, Instant t) {
        Second s = clock;
        if (s.epochSecond() != t.getEpochSecond()) {
            s = new Second(t.getEpochSecond(), CLOCK_SECONDS.format(t));
            clock = s;
        }
        b.append(s.text()).append('.');
        digits(b, t.getNano() / 1_000_000, 3);
        return b;
    }

    /** {@code value} in exactly {@code width} digits, zero-padded. */
    private static void digits(StringBuilder b, int value, int width) {
        for (int unit = pow10(width - 1); unit > 0; unit /= 10) {
            b.append((char) ('0' + value / unit % 10));
        }
    }

    private static int pow10(int n) {
        int p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
