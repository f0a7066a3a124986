package io.zmqtap.bench;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A route through a proxy with a capture feed: the testbed's counting {@link Sniffer} subscribed
 * to the feed, and whatever stops the proxy.
 *
 * <p>Usage: {@code return CapturedRoute.subscribe(testbed, "tcp://127.0.0.1:41234", "tcp://127.0.0.1:41235", queue::close);}
 */
final class CapturedRoute implements Setup.Route {
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(10);

    private final Testbed testbed;
    private final String clientEndpoint;
    private final String captureAddress;
    private Sniffer sniffer;
    private final Runnable stopProxy;
    private final LongSupplier proxyDropped;

    private CapturedRoute(Testbed testbed, String clientEndpoint, String captureAddress, Runnable stopProxy,
            LongSupplier proxyDropped) {
        this.testbed = testbed;
        this.clientEndpoint = clientEndpoint;
        this.captureAddress = captureAddress;
        this.sniffer = testbed.subscribe(captureAddress);
        this.stopProxy = stopProxy;
        this.proxyDropped = proxyDropped;
    }

    /** Subscribes the testbed's sniffer to {@code captureAddress}; {@code stopProxy} runs on close, after it unsubscribed. */
    static CapturedRoute subscribe(Testbed testbed, String clientEndpoint, String captureAddress, Runnable stopProxy) {
        return new CapturedRoute(testbed, clientEndpoint, captureAddress, stopProxy, () -> -1);
    }

    /** The same, for a proxy that counts the captures it drops ({@code proxyDropped}). */
    static CapturedRoute subscribe(Testbed testbed, String clientEndpoint, String captureAddress, Runnable stopProxy,
            LongSupplier proxyDropped) {
        return new CapturedRoute(testbed, clientEndpoint, captureAddress, stopProxy, proxyDropped);
    }

    @Override
    public long proxyDropped() {
        return proxyDropped.getAsLong();
    }

    @Override
    public String clientEndpoint() {
        return clientEndpoint;
    }

    @Override
    public boolean captures() {
        return true;
    }

    @Override
    public long captured() {
        return sniffer.count();
    }

    @Override
    public void resubscribe() {
        sniffer.close();
        sniffer = testbed.subscribe(captureAddress);
    }

    @Override
    public long settleCaptures(long expected) {
        return CaptureCounter.settle(sniffer::count, expected, SETTLE_LIMIT);
    }

    @Override
    public void close() {
        try {
            sniffer.close();
        } finally {
            stopProxy.run();
        }
    }
}
