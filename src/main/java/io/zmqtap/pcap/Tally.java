package io.zmqtap.pcap;

/**
 * What one reassembler counts, and the memory its flows hold against the bounds: shared by the
 * reassembler and its flows, on one thread.
 */
final class Tally {
    final long maxHeldPerDirection;
    final long maxHeldTotal;
    long segments;
    long bytes;
    long flows;
    long zeromqFlows;
    long ignoredFlows;
    long gaps;
    long retransmittedBytes;
    long outOfOrderSegments;
    long held;
    long peakHeld;
    /** The directions holding bytes ahead of a hole now. */
    final java.util.Set<HalfStream> holders = new java.util.HashSet<>();

    Tally(long maxHeldPerDirection, long maxHeldTotal) {
        this.maxHeldPerDirection = maxHeldPerDirection;
        this.maxHeldTotal = maxHeldTotal;
    }

    void hold(int n) {
        held += n;
        if (held > peakHeld) {
            peakHeld = held;
        }
    }

    void release(long n) {
        held -= n;
    }

    /**
     * Frees room for {@code n} more held bytes that {@code asker} needs, when all flows together would
     * pass the bound: the directions holding the most give up their holes first (each reported as a
     * gap), so that a hostile flow holding millions of pieces cannot make every newcomer lose its
     * greeting. Stops when the biggest holder is the asker itself or holds no more than it.
     */
    void makeRoom(long n, HalfStream asker, java.time.Instant time) {
        while (held + n > maxHeldTotal) {
            HalfStream biggest = null;
            for (HalfStream h : holders) { // only when the bound is reached, and each round frees a direction's worth
                if (biggest == null || h.heldBytes() > biggest.heldBytes()) {
                    biggest = h;
                }
            }
            if (biggest == null || biggest == asker || biggest.heldBytes() <= asker.heldBytes()) {
                return;
            }
            biggest.giveUp(time);
        }
    }

    ReassemblyCounters snapshot() {
        return new ReassemblyCounters(segments, bytes, flows, zeromqFlows, ignoredFlows, gaps, retransmittedBytes,
                outOfOrderSegments, held, peakHeld);
    }
}
