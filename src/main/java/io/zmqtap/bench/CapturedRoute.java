package io.zmqtap.bench;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A route through a proxy with a capture feed: the bench's {@link CaptureCounter} subscribed to
 * the feed, and whatever stops the proxy.
 *
 * <p>Usage: {@code return CapturedRoute.subscribe("tcp://127.0.0.1:41234", "tcp://127.0.0.1:41235", queue::close);}
 */
final class CapturedRoute implements Setup.Route {
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(10);

    private final String clientEndpoint;
    private final String captureAddress;
    private CaptureCounter counter;
    private final Runnable stopProxy;
    private final LongSupplier proxyDropped;

    private CapturedRoute(String clientEndpoint, String captureAddress, Runnable stopProxy, LongSupplier proxyDropped) {
        this.clientEndpoint = clientEndpoint;
        this.captureAddress = captureAddress;
        this.counter = CaptureCounter.start(captureAddress);
        this.stopProxy = stopProxy;
        this.proxyDropped = proxyDropped;
    }

    /** Subscribes a counter to {@code captureAddress}; {@code stopProxy} runs on close, after the counter stops. */
    static CapturedRoute subscribe(String clientEndpoint, String captureAddress, Runnable stopProxy) {
        return new CapturedRoute(clientEndpoint, captureAddress, stopProxy, () -> -1);
    }

    /** The same, for a proxy that counts the captures it drops ({@code proxyDropped}). */
    static CapturedRoute subscribe(String clientEndpoint, String captureAddress, Runnable stopProxy,
                                   LongSupplier proxyDropped) {
        return new CapturedRoute(clientEndpoint, captureAddress, stopProxy, proxyDropped);
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
        return counter.count();
    }

    @Override
    public void resubscribe() {
        counter.close();
        counter = CaptureCounter.start(captureAddress);
    }

    @Override
    public long settleCaptures(long expected) {
        return counter.settle(expected, SETTLE_LIMIT);
    }

    @Override
    public void close() {
        try {
            counter.close();
        } finally {
            stopProxy.run();
        }
    }
}
