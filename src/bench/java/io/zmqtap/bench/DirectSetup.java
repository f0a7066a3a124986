package io.zmqtap.bench;

/** The baseline: the client connects straight to the echo server, nothing in between, no capture. */
public final class DirectSetup implements Setup {
    @Override
    public String name() {
        return "direct";
    }

    @Override
    public Route start(Testbed testbed) {
        return new UncountedRoute(testbed.serverEndpoint(), () -> { }); // nothing was started
    }
}
