package io.zmqtap.proxy;

/** Counters for one proxy side. Written by the proxy thread only; read from any thread. */
final class SideCounters {
    private volatile long messagesIn;
    private volatile long bytesIn;
    private volatile long messagesOut;
    private volatile long bytesOut;

    // Single writer: the read-modify-write on a volatile is safe and cheaper than an atomic.
    void received(long bytes) {
        messagesIn = messagesIn + 1;
        bytesIn = bytesIn + bytes;
    }

    void sent(long bytes) {
        messagesOut = messagesOut + 1;
        bytesOut = bytesOut + bytes;
    }

    SocketStatistics snapshot() {
        return new SocketStatistics(messagesIn, bytesIn, messagesOut, bytesOut);
    }
}
