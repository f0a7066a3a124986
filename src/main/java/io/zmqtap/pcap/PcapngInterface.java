package io.zmqtap.pcap;

/**
 * One pcapng interface (an Interface Description Block): its link type, snapshot length and how
 * its 64-bit timestamps count time ({@code if_tsresol}: 10^-n or 2^-n seconds, default
 * microseconds; {@code if_tsoffset}: seconds to add).
 */
final class PcapngInterface {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    final int linkType;
    final long snaplen;
    private final boolean binary; // 2^-exponent rather than 10^-exponent
    private final int exponent;
    private final long unitsPerSecond; // decimal only
    private final long toNanos; // decimal: multiply the fraction by this (resolutions down to 1 ns) ...
    private final long fromFinerThanNanos; // ... or divide it by this (finer resolutions)
    private final long offsetSeconds;

    PcapngInterface(int linkType, long snaplen, int tsresol, long offsetSeconds) {
        this.linkType = linkType;
        this.snaplen = snaplen;
        this.binary = (tsresol & 0x80) != 0;
        this.exponent = tsresol & 0x7f;
        this.unitsPerSecond = binary ? 0 : pow10(exponent);
        this.toNanos = exponent <= 9 ? pow10(9 - exponent) : 0;
        this.fromFinerThanNanos = exponent > 9 ? pow10(exponent - 9) : 0;
        this.offsetSeconds = offsetSeconds;
    }

    /** Whether a resolution byte can be read: 10^-0..10^-18 or 2^-0..2^-63 seconds. */
    static boolean supportsResolution(int tsresol) {
        return (tsresol & 0x80) != 0 ? (tsresol & 0x7f) <= 63 : tsresol <= 18;
    }

    /** 9999-12-31T23:59:59Z and 0001-01-01T00:00:00Z: the times a capture can plausibly carry, and print. */
    static final long LAST_SECOND = 253_402_300_799L;
    static final long FIRST_SECOND = -62_135_596_800L;

    /**
     * Sets {@code packet}'s time from a raw timestamp (unsigned 64 bits); false, leaving it unset, when
     * that time (with {@code if_tsoffset}) falls outside the years 1 to 9999: no capture was taken then,
     * and a clock cannot print it.
     */
    boolean stamp(CapturedPacket packet, long timestamp) {
        long seconds;
        long nanos;
        if (binary) {
            seconds = timestamp >>> exponent;
            long fraction = timestamp & ((1L << exponent) - 1);
            int bits = exponent;
            if (bits > 33) { // keep fraction * 10^9 below 2^63; what is dropped is below a nanosecond
                fraction >>>= bits - 33;
                bits = 33;
            }
            nanos = (fraction * NANOS_PER_SECOND) >>> bits;
        } else {
            seconds = Long.divideUnsigned(timestamp, unitsPerSecond);
            long fraction = Long.remainderUnsigned(timestamp, unitsPerSecond);
            nanos = toNanos != 0 ? fraction * toNanos : fraction / fromFinerThanNanos;
        }
        // seconds is unsigned: past LAST_SECOND it is no time, even where it reads negative as a long
        if (Long.compareUnsigned(seconds, LAST_SECOND) > 0) {
            return false;
        }
        // compared, not added first: if_tsoffset is the file's word, and a sum could overflow
        if (offsetSeconds > LAST_SECOND - seconds || offsetSeconds < FIRST_SECOND - seconds) {
            return false;
        }
        packet.time(seconds + offsetSeconds, nanos);
        return true;
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) {
            v *= 10;
        }
        return v;
    }
}
