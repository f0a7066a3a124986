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

    ReassemblyCounters snapshot() {
        return new ReassemblyCounters(segments, bytes, flows, zeromqFlows, ignoredFlows, gaps, retransmittedBytes,
                outOfOrderSegments, held, peakHeld);
    }
}
