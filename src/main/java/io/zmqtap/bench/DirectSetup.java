package io.zmqtap.bench;


/** The baseline: the client connects straight to the echo server, nothing in between, no capture. */
public final class DirectSetup implements Setup {
    @Override
    public String name() {
        return "direct";
    }

    @Override
    public Route start(String serverEndpoint) {
        return new Route() {
            @Override
            public String clientEndpoint() {
                return serverEndpoint;
            }

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
                // nothing was started
            }
        };
    }
}
