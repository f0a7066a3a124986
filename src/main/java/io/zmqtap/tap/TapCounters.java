package io.zmqtap.tap;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link TapStatistics}, updated by the tap's loop and read by anyone. */
final class TapCounters {
    final LongAdder connections = new LongAdder();
    final LongAdder active = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder upstreamFailures = new LongAdder();
    final LongAdder handshakeTimeouts = new LongAdder();
    /** Numbers the tap's messages, every connection together: their {@code seq}. */
    private final AtomicLong messageSeq = new AtomicLong();

    /** The next message's {@code seq}, from 1. */
    long nextSeq() {
        return messageSeq.incrementAndGet();
    }

    TapStatistics snapshot(long notices, long eventsDropped) {
        return new TapStatistics(connections.sum(), active.sum(), refused.sum(), bytesIn.sum(), bytesOut.sum(),
                messagesIn.sum(), messagesOut.sum(), protocolErrors.sum(), upstreamFailures.sum(),
                handshakeTimeouts.sum(), notices, eventsDropped);
    }
}
