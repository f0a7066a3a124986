package io.zmqtap.endpoint;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Passes notices on (a dropped connection, a refused client) without flooding the log: per kind
 * of notice, the first few in a window go out as they are, the rest are only counted, and when
 * the window ends one line sums them up:
 *
 * <pre>
 * frontend: dropped the connection from 127.0.0.1:50312: no handshake within 30 s
 * frontend: dropped the connection from 127.0.0.1:50313: no handshake within 30 s
 * frontend: dropped the connection from 127.0.0.1:50314: no handshake within 30 s
 * frontend: dropped the connection (no handshake within 30 s) … and 1,997 more like this in the last 10 s
 * </pre>
 *
 * Every notice is counted ({@link #total()}, {@link #counts()}), shown or not. Thread-safe; the
 * summary of a window goes out on the next {@link #report} or {@link #tick} after it ended, and
 * {@link #flush()} sends any pending summary at once (call it when stopping).
 *
 * <p>Usage:
 * <pre>{@code
 * Notices notices = new Notices(line -> err.println("zmqtap: " + line));
 * notices.report("frontend: dropped the connection (no handshake within 30 s)",
 *         "frontend: dropped the connection from " + peer + ": no handshake within 30 s");
 * notices.tick();   // now and then, e.g. from an event loop's idle work
 * }</pre>
 */
public final class Notices {
    /** Lines of one kind shown per window before the rest are only counted. */
    public static final int DEFAULT_BURST = 3;
    /** The window in which repeats are summed up: 10 s. */
    public static final long DEFAULT_WINDOW_NANOS = 10_000_000_000L;

    private final Consumer<String> out;
    private final int burst;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private long total;

    /** Shows at most {@link #DEFAULT_BURST} notices of a kind per 10 s. */
    public Notices(Consumer<String> out) {
        this(out, DEFAULT_BURST, DEFAULT_WINDOW_NANOS, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} (tests pass a fake one) */
    public Notices(Consumer<String> out, int burst, long windowNanos, LongSupplier clock) {
        this.out = Objects.requireNonNull(out);
        this.burst = burst;
        this.windowNanos = windowNanos;
        this.clock = clock;
    }

    /** A consumer that drops every notice but still counts it. */
    public static Notices discarding() {
        return new Notices(line -> { });
    }

    /**
     * Reports one notice: {@code line} is what people read; {@code kind} says which notices are
     * "like this" one (the same text without the peer's address) and starts the summary line.
     */
    public void report(String kind, String line) {
        String show = null;
        String summary;
        synchronized (this) {
            long now = clock.getAsLong();
            summary = closeExpired(now, false);
            total++;
            counts.merge(kind, 1L, Long::sum);
            Window w = windows.computeIfAbsent(kind, k -> new Window(now));
            if (w.shown < burst) {
                w.shown++;
                show = line;
            } else {
                w.suppressed++;
            }
        }
        emit(summary);
        emit(show);
    }

    /** Sends the summaries of windows that have ended; call it now and then. */
    public void tick() {
        String summary;
        synchronized (this) {
            summary = closeExpired(clock.getAsLong(), false);
        }
        emit(summary);
    }

    /** Sends every pending summary now, ended or not (on the way out). */
    public void flush() {
        String summary;
        synchronized (this) {
            summary = closeExpired(clock.getAsLong(), true);
        }
        emit(summary);
    }

    /** Notices reported so far, shown or summed up. */
    public synchronized long total() {
        return total;
    }

    /** Notices so far by kind, in the order each kind first came. */
    public synchronized Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    /** Ends the windows that are over (all of them with {@code all}); returns their summaries, or null. */
    private String closeExpired(long now, boolean all) {
        StringBuilder lines = null;
        for (var it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Window> e = it.next();
            Window w = e.getValue();
            long age = now - w.start;
            if (age < windowNanos && !all) {
                continue;
            }
            it.remove();
            if (w.suppressed > 0) {
                long seconds = Math.max(1, Math.min(windowNanos, age) / 1_000_000_000L);
                String line = String.format(Locale.ROOT, "%s … and %,d more like this in the last %d s",
                        e.getKey(), w.suppressed, seconds);
                lines = lines == null ? new StringBuilder(line) : lines.append('\n').append(line);
            }
        }
        return lines == null ? null : lines.toString();
    }

    private void emit(String lines) {
        if (lines == null) {
            return;
        }
        for (String line : lines.split("\n")) {
            out.accept(line); // outside the lock: a slow consumer must not hold up reporters
        }
    }

    private static final class Window {
        final long start;
        int shown;
        long suppressed;

        Window(long start) {
            this.start = start;
        }
    }
}
