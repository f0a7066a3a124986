package io.zmqtap.tap;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.endpoint.Notices;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The tap's notices (a refused client, an unreachable upstream, a connection without handshake)
 * as {@link NoticeEvent}s for the sink, with repeats summed up by {@link Notices}: the first few
 * of a kind in a window go out as they are, then one line such as
 * {@code refused a connection: 50 open, the most allowed … and 147 more like this in the last 10 s}.
 *
 * <p>A notice shown as it is keeps its source (the listen address it concerns), its connection
 * (e.g. {@code c7}, or null when it concerns no connection) and its level; a summary line comes
 * from the tap as a whole ({@link WireTap#source()}, no connection) with the level of its kind.
 *
 * <p>Usage: {@code notices.report("tcp://127.0.0.1:4444", "c7", Level.WARNING, "dropped a connection: no handshake", "dropped 127.0.0.1:5 ...");}
 */
final class TapNotices {
    private final Notices notices;
    private final Consumer<CaptureEvent> events;
    private final String tapSource;
    private final Map<String, NoticeEvent.Level> levels = new ConcurrentHashMap<>();
    // Set while report() runs: Notices passes a line that is shown on at once, on the reporting thread.
    private String reportingSource;
    private String reportingConn;
    private NoticeEvent.Level reportingLevel;
    private String reportingLine;

    /**
     * @param tapSource the source of summary lines, see {@link WireTap#source()}
     * @param windowNanos how long repeats of a kind are summed up before the summary line
     */
    TapNotices(Consumer<CaptureEvent> events, String tapSource, long windowNanos) {
        this.events = events;
        this.tapSource = tapSource;
        this.notices = new Notices(this::emit, Notices.DEFAULT_BURST, windowNanos, System::nanoTime);
    }

    /**
     * Reports one notice: {@code kind} is the line without what differs from one to the next (the
     * peer's address); it says which notices are "like this" one and starts their summary line.
     */
    synchronized void report(String source, String conn, NoticeEvent.Level level, String kind, String line) {
        levels.putIfAbsent(kind, level);
        reportingSource = source;
        reportingConn = conn;
        reportingLevel = level;
        reportingLine = line;
        try {
            notices.report(kind, line);
        } finally {
            reportingLine = null;
        }
    }

    /** Sends the summaries of windows that have ended. */
    synchronized void tick() {
        notices.tick();
    }

    /** Sends every pending summary now (when the tap stops). */
    synchronized void flush() {
        notices.flush();
    }

    /** Notices reported so far, shown or summed up. */
    long total() {
        return notices.total();
    }

    private void emit(String line) {
        if (line.equals(reportingLine)) {
            events.accept(new NoticeEvent(Instant.now(), reportingSource, reportingConn, reportingLevel, line));
            return;
        }
        NoticeEvent.Level level = NoticeEvent.Level.WARNING;
        for (Map.Entry<String, NoticeEvent.Level> e : levels.entrySet()) {
            if (line.startsWith(e.getKey() + " … and ")) {
                level = e.getValue();
                break;
            }
        }
        events.accept(new NoticeEvent(Instant.now(), tapSource, level, line));
    }
}
