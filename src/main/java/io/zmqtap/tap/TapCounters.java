package io.zmqtap.tap;

import io.zmqtap.dissect.Dissector;
import io.zmqtap.event.Direction;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters behind {@link TapStatistics}, updated by the tap's loops and its dissector and
 * read by anyone.
 */
final class TapCounters implements Dissector.Counters {
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

    @Override
    public void message(Direction direction) {
        (direction == Direction.IN ? messagesIn : messagesOut).increment();
    }

    @Override
    public void protocolError(Direction direction) {
        protocolErrors.increment();
    }

    TapStatistics snapshot(long notices, long eventsDropped) {
        return new TapStatistics(connections.sum(), active.sum(), refused.sum(), bytesIn.sum(), bytesOut.sum(),
                messagesIn.sum(), messagesOut.sum(), protocolErrors.sum(), upstreamFailures.sum(),
                handshakeTimeouts.sum(), notices, eventsDropped);
    }
}
