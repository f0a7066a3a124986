package io.zmqtap.tap;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.endpoint.BusyPoll;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.util.function.Consumer;

/**
 * The tap's second selector thread: reads every upstream and writes what it read to its client
 * (each connection's "out" flow). {@link TapLoop} hands it each connection once the upstream is
 * connected; closing connections stays {@link TapLoop}'s bookkeeping.
 *
 * <p>Usage: {@code OutLoop out = new OutLoop(tap.source(), poll, decoding, events); out.start(); out.adopt(connection);}
 */
final class OutLoop extends ForwardLoop {
    OutLoop(String source, BusyPoll poll, Decoding decoding, Consumer<CaptureEvent> events) throws IOException {
        super("zmqtap-tap-out", source, poll, decoding, events);
    }

    /** Starts reading {@code c}'s upstream, on this loop's thread. */
    void adopt(TapConnection c) {
        execute(() -> c.registerOut(selector));
    }

    @Override
    protected void handle(SelectionKey key) {
        ((TapConnection) key.attachment()).serveOut(key, io);
    }
}
