package io.zmqtap.bench;

/**
 * A route whose captures nobody counts: no capture feed at all ({@code direct}) or a sniffer that
 * never reads ({@code zmqtap-stalled}).
 *
 * <p>Usage: {@code return new UncountedRoute(testbed.serverEndpoint(), () -> {});}
 *
 * @param clientEndpoint where the load generator connects
 * @param stop what closing the route stops
 */
record UncountedRoute(String clientEndpoint, Runnable stop) implements Setup.Route {
    @Override
    public boolean captures() {
        return false;
    }

    @Override
    public long captured() {
        return 0;
    }

    @Override
    public long settleCaptures(long expected) {
        return 0;
    }

    @Override
    public void close() {
        stop.run();
    }
}
