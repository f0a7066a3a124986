package io.zmqtap.pipeline;

import io.zmqtap.event.Frame;
import io.zmqtap.event.StatisticsEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Requests waiting for their reply, in lines: one line per conversation (source, connection,
 * client identity) and envelope, each answered oldest first.
 *
 * <p>Memory is bounded: at most {@code max} requests wait; one more evicts the oldest of all,
 * which then counts as unanswered (and as evicted). Requests whose connection closed count as
 * unanswered too. The oldest few unanswered ones, waiting or ended, are kept for the statistics.
 *
 * <p>Each connection has one entry ({@link Conversation}), found once per message: it also says
 * whether the connection is followed as request/reply ({@link #follow}), and keeps its last line at
 * hand, so that REQ/REP traffic (one client, no envelope) costs no key object and one lookup.
 *
 * <p>Usage: {@code Conversation c = p.conversation(source, conn); p.add(source, conn, c, identity, key, 7, time);
 * Request r = p.answer(c, identity, key);}
 */
final class PendingRequests {
    /** How many unanswered requests the statistics list. */
    static final int LISTED = 10;

    /**
     * A connection within a source; {@code conn} null for sources without connections. The map's
     * keys never change; one more instance per {@code PendingRequests}, its probe, is pointed at
     * each message's connection to look it up, so that a message makes no key.
     */
    static final class ConnKey {
        private String source;
        private String conn;

        ConnKey(String source, String conn) {
            this.source = source;
            this.conn = conn;
        }

        String source() {
            return source;
        }

        String conn() {
            return conn;
        }

        /** The probe only: looks at another connection. */
        private ConnKey point(String source, String conn) {
            this.source = source;
            this.conn = conn;
            return this;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(source) * 31 + (conn == null ? 0 : conn.hashCode());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ConnKey k && java.util.Objects.equals(source, k.source) && java.util.Objects.equals(conn, k.conn);
        }

        @Override
        public String toString() {
            return source + "/" + conn;
        }
    }

    /** One line of requests: a client (identity, may be null) and an envelope. */
    record Slot(Frame identity, EnvelopeKey envelope) {
        @Override
        public int hashCode() {
            return (identity == null ? 0 : identity.hashCode()) * 31 + envelope.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Slot k && envelope.equals(k.envelope) && java.util.Objects.equals(identity, k.identity);
        }
    }

    /** A request waiting for its reply. */
    static final class Request {
        final ConnKey conn;
        final Slot slot;
        final long seq;
        final Instant sent;
        final long order;
        Request older; // the list of every waiting request, oldest first
        Request newer;
        Request nextInLine;

        Request(ConnKey conn, Slot slot, long seq, Instant sent, long order) {
            this.conn = conn;
            this.slot = slot;
            this.seq = seq;
            this.sent = sent;
            this.order = order;
        }

        StatisticsEvent.Pending pending() {
            return new StatisticsEvent.Pending(conn.conn(), slot.identity(), seq, sent);
        }
    }

    private static final class Line {
        Request first;
        Request last;
    }

    /** A connection's lines, and whether it is followed as request/reply. */
    static final class Conversation {
        /** Its key in the map (not the probe). */
        final ConnKey key;
        /** Taken out of the map: {@link #recent} may still hold it, and must not hand it out. */
        boolean gone;
        /** Set by {@link #follow}: the entry stays while its lines empty, until the connection closes. */
        boolean requestReply;
        final Map<Slot, Line> lines = new HashMap<>(4);
        /** The line last used with no envelope, and its slot: REQ/REP finds its one line without a Slot. */
        private Slot lastSlot;
        private Line lastLine;

        Conversation(ConnKey key) {
            this.key = key;
        }

        private Line line(Frame identity, EnvelopeKey key, boolean create) {
            Slot last = lastSlot;
            if (key == EnvelopeKey.NONE && last != null && (last.identity() == identity
                    || identity != null && identity.equals(last.identity()))) {
                return lastLine;
            }
            Slot slot = new Slot(identity, key);
            Line line = create ? lines.computeIfAbsent(slot, x -> new Line()) : lines.get(slot);
            if (line != null && key == EnvelopeKey.NONE) {
                lastSlot = slot;
                lastLine = line;
            }
            return line;
        }

        private Slot slot(Line line, Frame identity, EnvelopeKey key) {
            return line == lastLine ? lastSlot : new Slot(identity, key);
        }

        private void remove(Slot slot) {
            if (lines.remove(slot) == lastLine) {
                lastSlot = null;
                lastLine = null;
            }
        }
    }

    private final int max;
    private final Map<ConnKey, Conversation> byConn = new HashMap<>();
    private final ConnKey probe = new ConnKey(null, null);
    /** The entries of the latest messages' connections, by the reference of their name (see {@link RecentKeys}). */
    private final RecentKeys<Conversation> recent = new RecentKeys<>();
    private Request oldest;
    private Request newest;
    private int waiting;
    private long nextOrder;
    private long ended;
    private long evicted;
    private final List<Request> endedOldest = new ArrayList<>(); // by order, at most LISTED

    PendingRequests(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max pending requests must be positive: " + max);
        }
        this.max = max;
    }

    /** The entry of {@code conn} in {@code source}, or null when it has none (nothing waits there, and it is not followed). */
    Conversation conversation(String source, String conn) {
        if (conn == null) {
            return byConn.get(probe.point(source, null));
        }
        Conversation c = recent.get(conn);
        if (c != null && !c.gone && java.util.Objects.equals(c.key.source(), source)) {
            return c;
        }
        c = byConn.get(probe.point(source, conn));
        if (c != null) {
            recent.put(conn, c);
        }
        return c;
    }

    /** Follows {@code conn} as request/reply: its entry stays, lines empty or not, until {@link #closed}. */
    void follow(ConnKey conn) {
        byConn.computeIfAbsent(conn, Conversation::new).requestReply = true;
    }

    /**
     * A request seen on {@code conn} in {@code source} (whose entry is {@code c}, or null when it has
     * none) from {@code identity} with envelope {@code key}; may evict the oldest.
     */
    void add(String source, String conn, Conversation c, Frame identity, EnvelopeKey key, long seq, Instant sent) {
        if (waiting >= max) {
            Request r = oldest;
            removeFromLine(r); // the oldest of all is the first of its line
            unlink(r);
            evicted++;
            end(r);
            if (c != null && c.gone) {
                c = null; // that was its last request, and the entry went with it
            }
        }
        if (c == null) {
            c = byConn.computeIfAbsent(new ConnKey(source, conn), Conversation::new);
        }
        Line line = c.line(identity, key, true);
        Request r = new Request(c.key, c.slot(line, identity, key), seq, sent, nextOrder++);
        if (line.last == null) {
            line.first = r;
        } else {
            line.last.nextInLine = r;
        }
        line.last = r;
        r.older = newest;
        if (newest == null) {
            oldest = r;
        } else {
            newest.newer = r;
        }
        newest = r;
        waiting++;
    }

    /** Takes the oldest request waiting on this line of the connection whose entry is {@code c} (null: none), or null when none waits. */
    Request answer(Conversation c, Frame identity, EnvelopeKey key) {
        if (c == null) {
            return null;
        }
        Line line = c.line(identity, key, false);
        if (line == null || line.first == null) {
            return null;
        }
        Request r = line.first;
        line.first = r.nextInLine;
        r.nextInLine = null;
        if (line.first == null) {
            line.last = null;
        }
        ConnKey conn = c.key;
        if (line.first == null && (key != EnvelopeKey.NONE || conn.conn() == null)) {
            // A line of a connection stays until it closes: REQ/REP empties its one line on every
            // reply. Lines of envelopes (request ids), and of sources without connections, go.
            c.remove(r.slot);
            if (c.lines.isEmpty() && conn.conn() == null && !c.requestReply) {
                remove(conn);
            }
        }
        unlink(r);
        return r;
    }

    /** The connection closed: whatever still waits on it will never be answered. */
    void closed(ConnKey conn) {
        Conversation c = remove(conn);
        if (c == null) {
            return;
        }
        for (Line line : c.lines.values()) {
            for (Request r = line.first; r != null; ) {
                Request next = r.nextInLine;
                r.nextInLine = null;
                unlink(r);
                end(r);
                r = next;
            }
        }
    }

    /** Stops tracking every waiting request without counting it (events were lost: nobody knows). */
    void forget() {
        // what is followed stays followed; only the waiting requests go
        byConn.values().removeIf(c -> {
            c.gone = !c.requestReply;
            return c.gone;
        });
        for (Conversation c : byConn.values()) {
            c.lines.clear();
            c.lastSlot = null;
            c.lastLine = null;
        }
        for (Request r = oldest; r != null; ) {
            Request next = r.newer;
            r.older = null;
            r.newer = null;
            r.nextInLine = null;
            r = next;
        }
        oldest = null;
        newest = null;
        waiting = 0;
    }

    /** Requests waiting now. */
    int waiting() {
        return waiting;
    }

    /** Requests without a reply: waiting now, on closed connections, or evicted. */
    long unanswered() {
        return waiting + ended;
    }

    /** Requests evicted to keep memory bounded. */
    long evicted() {
        return evicted;
    }

    /** The oldest unanswered requests, waiting or ended, at most {@code n}, oldest first. */
    List<StatisticsEvent.Pending> oldest(int n) {
        return oldest(n, true);
    }

    /** The oldest requests that ended without a reply (and, with {@code waitingToo}, those still waiting). */
    List<StatisticsEvent.Pending> oldest(int n, boolean waitingToo) {
        List<StatisticsEvent.Pending> list = new ArrayList<>(n);
        Iterator<Request> done = endedOldest.iterator();
        Request d = done.hasNext() ? done.next() : null;
        Request w = waitingToo ? oldest : null;
        while (list.size() < n && (d != null || w != null)) {
            if (w == null || d != null && d.order < w.order) {
                list.add(d.pending());
                d = done.hasNext() ? done.next() : null;
            } else {
                list.add(w.pending());
                w = w.newer;
            }
        }
        return list;
    }

    private void removeFromLine(Request r) {
        Conversation c = byConn.get(r.conn);
        Line line = c.lines.get(r.slot);
        line.first = r.nextInLine;
        r.nextInLine = null;
        if (line.first == null) {
            line.last = null;
            c.remove(r.slot);
            if (c.lines.isEmpty() && !c.requestReply) {
                remove(r.conn);
            }
        }
    }

    /** Takes {@code conn}'s entry out of the map, marked gone for {@link #recent}; null when it had none. */
    private Conversation remove(ConnKey conn) {
        Conversation c = byConn.remove(conn);
        if (c != null) {
            c.gone = true;
        }
        return c;
    }

    private void unlink(Request r) {
        if (r.older == null) {
            oldest = r.newer;
        } else {
            r.older.newer = r.newer;
        }
        if (r.newer == null) {
            newest = r.older;
        } else {
            r.newer.older = r.older;
        }
        r.older = null;
        r.newer = null;
        waiting--;
    }

    /** Counts {@code r} as unanswered for good, keeping it if it is among the oldest few. */
    private void end(Request r) {
        ended++;
        int at = endedOldest.size();
        while (at > 0 && endedOldest.get(at - 1).order > r.order) {
            at--;
        }
        if (at < LISTED) {
            endedOldest.add(at, r);
            if (endedOldest.size() > LISTED) {
                endedOldest.remove(LISTED);
            }
        }
    }
}
