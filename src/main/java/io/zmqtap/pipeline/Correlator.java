package io.zmqtap.pipeline;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.StatisticsEvent;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pairs each reply with its request: a reply ({@code OUT}) leaves as
 * {@code reply.withReply(request.seq(), nanosBetween)}.
 *
 * <p>Requests and replies meet per conversation (source, connection, client identity) and, within
 * it, per envelope: the frames before the delimiter, without the routing id a ROUTER put in front.
 * A DEALER that puts a request id in its envelope, echoed back by a ROUTER server, gets exact
 * pairing even with interleaved requests and lost replies; without such frames replies pair in
 * order (REQ/REP, and REP servers answer in order).
 *
 * <p>Only request/reply traffic is paired: messages on a connection whose handshake named a REQ,
 * REP, DEALER or ROUTER socket, and {@code routed} messages (they came through a ROUTER). Never
 * PUB/SUB, PUSH/PULL, PAIR, XPUB/XSUB, nor messages of unknown direction.
 *
 * <p>A request never answered is unanswered: when its connection closes, when it is evicted to
 * keep at most {@code maxPending} waiting, or while it still waits. Pure: no threads, no clock.
 *
 * <p>Usage: {@code CaptureEvent shown = correlator.apply(event); // a paired reply carries replyTo}
 */
final class Correlator {
    /** Socket types whose traffic is requests and replies. */
    private static final Set<String> REQUEST_REPLY = Set.of("REQ", "REP", "DEALER", "ROUTER");

    private final PendingRequests pending;
    private final int maxConnections;
    private final LinkedHashSet<PendingRequests.ConnKey> requestReplyConns = new LinkedHashSet<>();

    /**
     * @param maxPending requests waiting at most, e.g. 100,000
     * @param maxConnections request/reply connections remembered at most (the oldest are forgotten), e.g. 100,000
     */
    Correlator(int maxPending, int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be positive: " + maxConnections);
        }
        this.pending = new PendingRequests(maxPending);
        this.maxConnections = maxConnections;
    }

    /** Learns from {@code event}; returns it, or the reply paired with its request. */
    CaptureEvent apply(CaptureEvent event) {
        if (event instanceof MessageEvent m) {
            return message(m);
        }
        if (event instanceof HandshakeEvent h) {
            if (h.socketType() != null && REQUEST_REPLY.contains(h.socketType())) {
                remember(new PendingRequests.ConnKey(h.source(), h.conn()));
            }
        } else if (event instanceof ConnectionEvent c && c.kind() == ConnectionEvent.Kind.CLOSED) {
            PendingRequests.ConnKey key = new PendingRequests.ConnKey(c.source(), c.conn());
            requestReplyConns.remove(key);
            pending.closed(key);
        }
        return event;
    }

    private MessageEvent message(MessageEvent m) {
        if (m.direction() == Direction.UNKNOWN) {
            return m;
        }
        // one lookup per message, and no key made: the entry says both whether the connection is
        // followed and what waits there
        PendingRequests.Conversation c = pending.conversation(m.source(), m.conn());
        if (!m.routed() && (c == null || !c.requestReply)) {
            return m;
        }
        EnvelopeKey key = envelopeKey(m);
        Frame identity = m.identity();
        if (m.direction() == Direction.IN) {
            pending.add(m.source(), m.conn(), c, identity, key, m.seq(), m.time());
            return m;
        }
        PendingRequests.Request r = pending.answer(c, identity, key);
        if (r == null) {
            return m;
        }
        return m.withReply(r.seq, nanosBetween(r.sent, m.time()));
    }

    /**
     * From {@code sent} to {@code answered} in nanoseconds: 0 when the reply is stamped earlier,
     * {@code Long.MAX_VALUE} past 292 years (a capture's timestamps are the file's word, not the
     * clock's). Arithmetic on the fields: {@code Duration.between(..).toNanos()} made an object per
     * reply, and threw past 292 years.
     */
    static long nanosBetween(Instant sent, Instant answered) {
        long seconds = answered.getEpochSecond() - sent.getEpochSecond(); // Instant's range cannot overflow this
        if (seconds < 0) {
            return 0;
        }
        if (seconds >= Long.MAX_VALUE / 1_000_000_000L - 1) {
            return Long.MAX_VALUE;
        }
        // no branch on the second boundary: a branch first taken late in a file costs a recompilation
        return Math.max(0, seconds * 1_000_000_000L + answered.getNano() - sent.getNano());
    }

    /**
     * The key of the envelope without the routing id a ROUTER put in front (it is the identity,
     * already in the key); no list made when there is nothing left (REQ/REP's lone delimiter).
     */
    private static EnvelopeKey envelopeKey(MessageEvent m) {
        int from = m.routed() ? 1 : 0;
        int delimiter = m.delimiter();
        return delimiter <= from ? EnvelopeKey.NONE : EnvelopeKey.of(m.frames().subList(from, delimiter));
    }

    private void remember(PendingRequests.ConnKey conn) {
        pending.follow(conn);
        if (requestReplyConns.add(conn) && requestReplyConns.size() > maxConnections) {
            PendingRequests.ConnKey gone = requestReplyConns.iterator().next();
            requestReplyConns.remove(gone);
            pending.closed(gone); // no longer followed: what waits there will not be answered here
        }
    }

    /** Events were lost: the waiting requests' replies may be among them, so pairing starts afresh. */
    void forget() {
        pending.forget();
    }

    /** Requests without a reply so far (waiting, on closed connections, evicted). */
    long unanswered() {
        return pending.unanswered();
    }

    /** Requests evicted to bound memory (also counted in {@link #unanswered()}). */
    long evicted() {
        return pending.evicted();
    }

    /** Requests waiting for their reply now. */
    int waiting() {
        return pending.waiting();
    }

    /** The oldest few unanswered requests, oldest first. */
    List<StatisticsEvent.Pending> oldestUnanswered() {
        return pending.oldest(PendingRequests.LISTED);
    }

    /** The oldest few requests whose connection closed or that were evicted, without those still waiting. */
    List<StatisticsEvent.Pending> oldestEnded() {
        return pending.oldest(PendingRequests.LISTED, false);
    }
}
