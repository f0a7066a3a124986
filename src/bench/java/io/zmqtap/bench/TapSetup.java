package io.zmqtap.bench;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.tap.WireTap;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * zmqtap's transparent {@link WireTap} on the TCP path to the echo server, decoding both
 * directions; every decoded message counts as a capture (one per request, one per reply).
 */
public final class TapSetup implements Setup {
    private final Duration busyPoll;

    /** @param busyPoll the spell zmqtap's forwarding threads poll before sleeping (see {@code BusyPoll}); empty: the default */
    public TapSetup(Optional<Duration> busyPoll) {
        this.busyPoll = busyPoll.orElse(WireTap.DEFAULT_BUSY_POLL);
    }

    @Override
    public String name() {
        return "tap";
    }

    @Override
    public Route start(Testbed testbed) {
        AtomicLong messages = new AtomicLong();
        Sink counter = new Sink() {
            @Override
            public void accept(CaptureEvent event) {
                if (event instanceof MessageEvent) {
                    messages.incrementAndGet();
                }
            }
        };
        WireTap tap = WireTap.builder().route("tcp://127.0.0.1:0", testbed.serverEndpoint()).sink(counter).busyPoll(busyPoll).start();
        String listen = tap.listenAddresses().get(0);
        return new Route() {
            @Override
            public String clientEndpoint() {
                return listen;
            }

            @Override
            public boolean captures() {
                return true;
            }

            @Override
            public long captured() {
                return messages.get();
            }

            @Override
            public long settleCaptures(long expected) {
                return CaptureCounter.settle(messages::get, expected, CapturedRoute.SETTLE_LIMIT);
            }

            @Override
            public long proxyDropped() {
                // the tap's event queue drops (and counts) events its sink cannot take in time
                return tap.statistics().eventsDropped();
            }

            @Override
            public void close() {
                tap.close();
            }
        };
    }
}
