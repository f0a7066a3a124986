package io.zmqtap.bench;

/**
 * What one timed run of the load generator saw.
 *
 * @param sent requests sent
 * @param received replies received
 * @param elapsedNanos from the first send to the last reply (or to giving up on a lost one)
 * @param rttP50Us median round-trip time in microseconds (NaN when no reply came)
 * @param rttP99Us 99th percentile round-trip time in microseconds
 * @param rttP999Us 99.9th percentile round-trip time in microseconds
 */
public record Measurement(long sent, long received, long elapsedNanos, double rttP50Us, double rttP99Us,
        double rttP999Us) {

    /** Requests that got no reply before the run's deadline. */
    public long lost() {
        return sent - received;
    }

    /** Replies per second. */
    public double messagesPerSecond() {
        return elapsedNanos <= 0 ? 0 : received * 1e9 / elapsedNanos;
    }
}
