package io.zmqtap.bench;

import java.util.List;

/**
 * One setup under one load: the numbers of its median round, plus every round's rate.
 *
 * @param setup setup name, e.g. {@code zmqtap}
 * @param load what was played
 * @param measurement the median round's measurement (by messages per second)
 * @param captured capture messages counted during the measured part, or -1 without a capture feed
 * @param roundRates messages per second of every round, in the order they ran
 */
public record RunResult(String setup, Load load, Measurement measurement, long captured, List<Double> roundRates) {
    public RunResult {
        roundRates = List.copyOf(roundRates);
    }

    public double messagesPerSecond() {
        return measurement.messagesPerSecond();
    }

    /** Reply payload megabytes (10^6 bytes) per second. */
    public double megabytesPerSecond() {
        return messagesPerSecond() * load.size() / 1e6;
    }

    public boolean hasCapture() {
        return captured >= 0;
    }

    /** Captures expected: one per request and one per reply that crossed the proxy. */
    public long expectedCaptures() {
        return measurement.sent() + measurement.received();
    }

    /** Percentage of expected captures that never arrived (0 when all did), NaN without capture. */
    public double captureLossPercent() {
        long expected = expectedCaptures();
        if (!hasCapture() || expected == 0) {
            return Double.NaN;
        }
        return Math.max(0, expected - captured) * 100.0 / expected;
    }
}
