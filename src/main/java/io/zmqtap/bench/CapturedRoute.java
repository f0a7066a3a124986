package io.zmqtap.bench;

import java.time.Duration;

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

    private CapturedRoute(String clientEndpoint, String captureAddress, Runnable stopProxy) {
        this.clientEndpoint = clientEndpoint;
        this.captureAddress = captureAddress;
        this.counter = CaptureCounter.start(captureAddress);
        this.stopProxy = stopProxy;
    }

    /** Subscribes a counter to {@code captureAddress}; {@code stopProxy} runs on close, after the counter stops. */
    static CapturedRoute subscribe(String clientEndpoint, String captureAddress, Runnable stopProxy) {
        return new CapturedRoute(clientEndpoint, captureAddress, stopProxy);
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
