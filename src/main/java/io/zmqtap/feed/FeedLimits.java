package io.zmqtap.feed;

import io.zmqtap.ZmqTapException;
import java.util.Locale;

/**
 * How much memory a {@link FeedSubscriber} may hold, in bytes. Unless set, each limit is derived
 * from the heap the JVM may grow to, {@code H = Runtime.maxMemory()}:
 *
 * <pre>
 * buffer        H/4               received messages waiting to be handed on (by their heap cost);
 *                                 past it messages are dropped and counted
 * max frame     H/512, >= 64 KiB  a larger frame makes JeroMQ drop the connection (ZMQ_MAXMSGSIZE);
 *                                 it is reopened and the loss reported
 * receive HWM   (H/4) / max frame JeroMQ's own queue in front of the buffer, in messages (ZMQ_RCVHWM),
 *               within 4..1000    which it fills only while the receiving thread is held up
 * </pre>
 *
 * So the feed holds at most about H/4 + H/4 + a few frames for the message being handed on, and
 * the rest of the heap stays free. A buffer over H/2 or a max frame over H/16 is refused. With
 * {@code -Xmx64m}: a 16 MiB buffer, 128 KiB frames, a receive HWM of 128.
 *
 * <p>JeroMQ bounds each frame and counts messages, not frames: a message of very many large frames
 * can still exceed these limits.
 *
 * <p>Usage: {@code FeedLimits limits = FeedLimits.forHeap(Runtime.getRuntime().maxMemory(), 0, 0);}
 */
public record FeedLimits(long bufferBytes, long maxFrameBytes, int receiveHwm) {
    private static final long MIN_MAX_FRAME = 64 * 1024;

    /**
     * Limits for a heap of {@code heapBytes}.
     *
     * @param bufferBytes the buffer, or 0 for H/4
     * @param maxFrameBytes the largest frame, or 0 for H/512 (at least 64 KiB)
     */
    public static FeedLimits forHeap(long heapBytes, long bufferBytes, long maxFrameBytes) {
        long buffer = bufferBytes > 0 ? bufferBytes : heapBytes / 4;
        long maxFrame = maxFrameBytes > 0 ? maxFrameBytes : Math.max(MIN_MAX_FRAME, heapBytes / 512);
        if (buffer > heapBytes / 2) {
            throw new ZmqTapException("a feed buffer of " + size(buffer) + " is more than half of the "
                    + size(heapBytes) + " heap: ask for less, or give Java more (-Xmx)");
        }
        if (maxFrame > heapBytes / 16) {
            throw new ZmqTapException("a largest frame of " + size(maxFrame) + " is more than a sixteenth of the "
                    + size(heapBytes) + " heap: ask for less, or give Java more (-Xmx)");
        }
        int hwm = (int) Math.max(4, Math.min(1000, heapBytes / 4 / maxFrame));
        return new FeedLimits(buffer, maxFrame, hwm);
    }

    /** Bytes as people read them: {@code 900 B}, {@code 64 KiB}, {@code 1.5 GiB}. */
    public static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value == Math.rint(value) || unit == 0
                ? String.format(Locale.ROOT, "%d %s", Math.round(value), units[unit])
                : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
