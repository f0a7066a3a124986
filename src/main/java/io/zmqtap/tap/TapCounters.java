package io.zmqtap.tap;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link TapStatistics}, updated by every connection's threads. */
final class TapCounters {
    final LongAdder connections = new LongAdder();
    final LongAdder active = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder messagesIn = new LongAdder();
    final LongAdder messagesOut = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder upstreamFailures = new LongAdder();

    TapStatistics snapshot(long eventsDropped) {
        return new TapStatistics(connections.sum(), active.sum(), bytesIn.sum(), bytesOut.sum(), messagesIn.sum(),
                messagesOut.sum(), protocolErrors.sum(), upstreamFailures.sum(), eventsDropped);
    }
}
