package io.zmqtap.replay;

import java.util.concurrent.TimeUnit;

/**
 * The time a replay keeps: what paces {@code --speed}. Tests give a fake one that moves when it is
 * asked to sleep, and see every wait the replay made.
 *
 * <p>Usage: {@code Replayer.to(endpoint).clock(ReplayClock.system())}
 */
public interface ReplayClock {
    /** A monotonic time in nanoseconds. */
    long nanoTime();

    /** Waits {@code nanos} when nothing is in flight (no reply to watch for meanwhile). */
    void sleep(long nanos) throws InterruptedException;

    /** The JVM's clock and {@link TimeUnit#sleep}. */
    static ReplayClock system() {
        return new ReplayClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };
    }
}
