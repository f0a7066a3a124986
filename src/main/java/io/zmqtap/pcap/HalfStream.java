package io.zmqtap.pcap;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One direction of a TCP flow: its segments, in whatever order the capture has them, back into the
 * byte stream the sender wrote, handed to its {@link Flow} as contiguous chunks.
 *
 * <p><b>Offsets.</b> Bytes are placed by their 64-bit offset from the direction's first byte (the
 * one after the SYN, or the first captured when the flow was joined mid-stream). A segment's 32-bit
 * sequence number is unwrapped to the offset nearest the next byte expected, so wraparound at
 * 2<sup>32</sup> and streams over 4 GiB need nothing special.
 *
 * <p><b>In order</b>, a segment's bytes are passed on at once, from the capture's own buffer. Bytes
 * already passed on (retransmissions, overlaps) are dropped and counted. <b>Ahead of a hole</b>, the
 * new bytes are copied and held until the hole is filled; where a segment overlaps bytes already
 * held, the <em>first copy is kept</em> and only the bytes not yet held are added (held pieces
 * never overlap). Held bytes, and {@link #PIECE_OVERHEAD} for each piece, count against a bound per
 * direction and one for the whole reassembler.
 *
 * <p><b>Holes that stay</b> are reported by the flow as a gap ({@link Flow#gap}), after which the
 * stream goes on past the hole ({@link #skipTo}): what was held beyond it, and what comes later, is
 * passed on, and the dissector resumes decoding where it can trust a frame boundary again.
 */
final class HalfStream {
    private static final long SEQ_MASK = 0xFFFF_FFFFL;
    /**
     * What one held piece costs beside its bytes (a TreeMap entry, its Long key, an array header),
     * counted against the bounds: a peer sending one-byte segments every other byte made 4 MiB "held"
     * cost 300 MiB of heap.
     */
    static final int PIECE_OVERHEAD = 80;

    final Flow flow;
    final InetSocketAddress sender;
    /** The other end: with {@link #sender}, the direction the flow table files this under. */
    final InetSocketAddress receiver;
    final int port;
    private final Tally tally;
    /** The flow table this direction is filed in now, or null: kept by {@link FlowTable}. */
    FlowTable table;

    private boolean started;
    private long isn;
    /** Offset of the next byte to pass on. */
    private long next;
    /** Offset just past the furthest byte (or FIN) any segment claimed. */
    private long extent;
    private long finAt = -1;
    private boolean ended;
    /** Where the earliest snap-length cut starts (bytes sent but not captured), or -1, and where it ends. */
    private long lostAt = -1;
    private long lostEnd;
    private TreeMap<Long, byte[]> held;
    private long heldBytes;

    HalfStream(Flow flow, InetSocketAddress sender, InetSocketAddress receiver, Tally tally) {
        this.flow = flow;
        this.sender = sender;
        this.receiver = receiver;
        this.port = sender.getPort();
        this.tally = tally;
    }

    /** True while filed in {@code t}. */
    boolean filedIn(FlowTable t) {
        return table == t;
    }

    /** The direction's first byte has sequence number {@code firstSeq}; the first call wins. */
    void start(long firstSeq) {
        if (!started) {
            started = true;
            isn = firstSeq & SEQ_MASK;
        }
    }

    boolean started() {
        return started;
    }

    /** True when a SYN with {@code synSeq} would start this direction where it started. */
    boolean startedBySyn(long synSeq) {
        return started && ((synSeq + 1) & SEQ_MASK) == isn;
    }

    /** The offset of sequence number {@code seq}: the one nearest the next byte expected. */
    long offset(long seq) {
        long relative = (seq - isn) & SEQ_MASK;
        return next + (int) (relative - next);
    }

    /** The payload of one segment at offset {@code off}: {@code length} bytes were sent, {@code payload}'s remaining ones captured. */
    void data(long off, ByteBuffer payload, int length, Instant time) {
        long end = off + length;
        extent = Math.max(extent, end);
        if (ended || end <= next) {
            tally.retransmittedBytes += length;
            return;
        }
        int captured = Math.min(payload.remaining(), length);
        long capturedEnd = off + captured;
        if (captured < length && (lostAt < 0 || capturedEnd < lostAt)) {
            lostAt = capturedEnd;
            lostEnd = end;
        }
        if (off > next || !flow.passing()) {
            long from = Math.max(off, next);
            long n = capturedEnd - from + PIECE_OVERHEAD;
            if (capturedEnd > from && tally.held + n > tally.maxHeldTotal) {
                tally.makeRoom(n, this, time); // the biggest holders give up first, not whoever asks next
            }
            if (capturedEnd > from && overBound(n)) {
                flow.gap(this, time, from); // skips the hole, or (once decided) in order
                if (ended || !flow.passing()) {
                    return;
                }
            }
        }
        if (off <= next && flow.passing()) {
            if (capturedEnd > next) {
                int skip = (int) (next - off);
                tally.retransmittedBytes += skip;
                int at = payload.position();
                payload.limit(at + captured).position(at + skip);
                pass(payload, time);
                drain(time);
            }
        } else {
            if (off > next) {
                tally.outOfOrderSegments++;
            }
            hold(off, payload, capturedEnd);
        }
    }

    private boolean overBound(long n) {
        return heldBytes + n > tally.maxHeldPerDirection || tally.held + n > tally.maxHeldTotal;
    }

    /** Copies the bytes of {@code [max(off, next), capturedEnd)} that are not held yet. */
    private void hold(long off, ByteBuffer payload, long capturedEnd) {
        if (held == null) {
            held = new TreeMap<>();
        }
        int base = payload.position();
        long at = Math.max(off, next);
        while (at < capturedEnd) {
            Map.Entry<Long, byte[]> below = held.floorEntry(at);
            if (below != null && below.getKey() + below.getValue().length > at) {
                long covered = Math.min(capturedEnd, below.getKey() + below.getValue().length);
                tally.retransmittedBytes += covered - at; // held already: the first copy stays
                at = covered;
                continue;
            }
            Long above = held.higherKey(at);
            long pieceEnd = above == null ? capturedEnd : Math.min(capturedEnd, above);
            byte[] piece = new byte[(int) (pieceEnd - at)];
            payload.get(base + (int) (at - off), piece);
            held.put(at, piece);
            if (heldBytes == 0) {
                tally.holders.add(this);
            }
            heldBytes += piece.length + PIECE_OVERHEAD;
            tally.hold(piece.length + PIECE_OVERHEAD);
            at = pieceEnd;
        }
    }

    /** Passes on the held bytes the stream has reached. */
    void drain(Instant time) {
        while (held != null && !held.isEmpty()) {
            Map.Entry<Long, byte[]> first = held.firstEntry();
            long at = first.getKey();
            if (at > next) {
                return;
            }
            byte[] piece = first.getValue();
            held.pollFirstEntry();
            heldBytes -= piece.length + PIECE_OVERHEAD;
            if (heldBytes == 0) {
                tally.holders.remove(this);
            }
            tally.release(piece.length + PIECE_OVERHEAD);
            int skip = (int) Math.min(piece.length, next - at);
            tally.retransmittedBytes += skip; // a later segment passed these on first
            if (skip < piece.length) {
                pass(ByteBuffer.wrap(piece, skip, piece.length - skip), time);
            }
        }
    }

    private void pass(ByteBuffer chunk, Instant time) {
        int n = chunk.remaining();
        next += n;
        flow.pass(this, chunk, time);
    }

    /** The sender's FIN, at offset {@code off}: the stream ends there (the first FIN seen counts). */
    void fin(long off) {
        if (finAt < 0) {
            finAt = off;
        }
        extent = Math.max(extent, off);
    }

    /** After bytes moved: reports a snap-length cut the stream has reached, and the end once all bytes to the FIN are through. */
    void settle(Instant time) {
        if (ended || !flow.passing()) {
            return;
        }
        if (lostAt >= 0 && lostAt <= next) {
            if (lostEnd > next) {
                flow.gap(this, time, lostEnd);
            } else {
                lostAt = -1; // another copy filled it
            }
        }
        if (!ended && finAt >= 0 && next >= finAt) {
            flow.ended(this, time);
        }
    }

    /** The offset of the first byte neither passed on nor held in one run from the next: where a hole starts. */
    long firstMissing() {
        long at = next;
        if (held != null && !held.isEmpty()) { // called on every ACK: no iterator unless something is held
            for (Map.Entry<Long, byte[]> e : held.entrySet()) {
                if (e.getKey() > at) {
                    break;
                }
                at = Math.max(at, e.getKey() + e.getValue().length);
            }
        }
        return at;
    }

    /** True when every byte up to the FIN is in (passed on or held in one run). */
    boolean complete() {
        return finAt >= 0 && firstMissing() >= finAt;
    }

    /** Copies the bytes from the next one on, as far as they run without a hole, into {@code into}; returns how many. */
    int prefix(byte[] into) {
        int n = 0;
        long at = next;
        if (held != null) {
            for (Map.Entry<Long, byte[]> e : held.entrySet()) {
                if (e.getKey() > at || n == into.length) {
                    break;
                }
                byte[] piece = e.getValue();
                int skip = (int) (at - e.getKey());
                int length = Math.min(piece.length - skip, into.length - n);
                if (length > 0) {
                    System.arraycopy(piece, skip, into, n, length);
                    n += length;
                    at += length;
                }
            }
        }
        return n;
    }

    /**
     * Where the hole at the next byte ends, as far as anyone can tell: the first held byte, else the
     * FIN, the end of a snap-length cut or {@code hint} (an acknowledgement, a segment's start);
     * the next offset itself when nothing is known to be missing.
     */
    long holeEnd(long hint) {
        if (held != null && !held.isEmpty()) {
            return held.firstKey();
        }
        long end = Long.MAX_VALUE;
        if (finAt > next) {
            end = finAt;
        }
        if (lostAt >= 0 && lostAt <= next && lostEnd > next) {
            end = Math.min(end, lostEnd);
        }
        if (hint > next) {
            end = Math.min(end, hint);
        }
        return end == Long.MAX_VALUE ? next : end;
    }

    /**
     * After a gap: the bytes before {@code end} will never come, so the stream goes on from there and
     * what is held beyond it is passed on.
     */
    void skipTo(long end, Instant time) {
        next = Math.max(next, end);
        extent = Math.max(extent, next);
        if (lostAt >= 0 && lostEnd <= next) {
            lostAt = -1; // the cut is inside what was skipped
        }
        drain(time);
    }

    /** Heap this direction holds for bytes ahead of a hole (the pieces and their bookkeeping). */
    long heldBytes() {
        return heldBytes;
    }

    /** The offset just past the last byte held, or the next offset when nothing is held. */
    long heldEnd() {
        if (held == null || held.isEmpty()) {
            return next;
        }
        Map.Entry<Long, byte[]> last = held.lastEntry();
        return last.getKey() + last.getValue().length;
    }

    /** Made to give up its holes to free memory for others: see {@link Flow#evict}. */
    void giveUp(Instant time) {
        flow.evict(this, time);
    }

    void dropHeld() {
        if (held != null) {
            tally.release(heldBytes);
            heldBytes = 0;
            tally.holders.remove(this);
            held = null;
        }
    }

    void markEnded() {
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    long next() {
        return next;
    }

    long finAt() {
        return finAt;
    }
}
