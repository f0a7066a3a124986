package io.zmqtap.endpoint;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * How a forwarding thread waits for its next input: first it polls for a short spell, yielding the
 * CPU to any other runnable thread between polls, and only then goes to sleep.
 *
 * <p>Why: on small virtual machines, waking a sleeping thread costs tens of microseconds, and a
 * proxy or tap adds such a wake-up to every hop. Under steady traffic the next message usually
 * arrives within the spell, so the hop costs no wake-up at all. Yielding (rather than spinning
 * hard) gives the CPU to the threads that produce that message, so polling does not slow them on
 * a two-CPU machine. An idle program does not poll: the spell only follows input. The price is CPU
 * time while traffic is light but steady; {@link #OFF} restores plain sleeping.
 *
 * <p>Spinning only pays while a CPU would otherwise sit idle. On a busy host (more runnable threads
 * than CPUs: CPU-bound neighbours, or the programs the proxy serves all at work on a small machine)
 * every spell takes CPU from the threads that produce the next message, and the proxy measured
 * slower with polling than without (70.7k against 160.8k msgs/s beside two CPU-bound processes).
 * So it does not spin while the host is crowded ({@link HostLoad}), and:
 *
 * <p>A spell that ends without input was wasted, and on a saturated machine wasted spells take CPU
 * from the threads that do the work (measured: a capture subscriber falling behind at 64 KiB). So
 * after such a miss the poller skips its next spell, after two misses in a row the next three, and
 * so on up to 63; a spell that finds input starts over. An instance keeps that count: use one per
 * waiting thread.
 *
 * <p>Usage:
 * <pre>{@code
 * BusyPoll poll = BusyPoll.of(Duration.ofNanos(100_000)); // 100 µs
 * if (!poll.await(() -> channelHasInput())) {
 *     sleepUntilInput();
 * }
 * }</pre>
 */
public final class BusyPoll {
    /** Never poll: sleep as soon as there is no input. Stateless, so it may be shared. */
    public static final BusyPoll OFF = new BusyPoll(0, () -> true);
    private static final int MAX_MISSES = 6;

    private final long nanos;
    private final BooleanSupplier crowded;
    private int misses;
    private int skip;

    private BusyPoll(long nanos, BooleanSupplier crowded) {
        this.nanos = nanos;
        this.crowded = crowded;
    }

    /** A new poller, for one thread, with a spell of {@code spell}; zero is {@link #OFF}. Idle while the host is crowded. */
    public static BusyPoll of(Duration spell) {
        return of(spell, HostLoad::crowded);
    }

    /** The same, asking {@code crowded} whether the host has more runnable threads than CPUs (tests pass their own). */
    static BusyPoll of(Duration spell, BooleanSupplier crowded) {
        if (spell.isNegative()) {
            throw new IllegalArgumentException("a busy-poll spell cannot be negative: " + spell);
        }
        return spell.isZero() ? OFF : new BusyPoll(spell.toNanos(), crowded);
    }

    /** False for {@link #OFF}: callers can skip preparing a check that would not be polled. */
    public boolean enabled() {
        return nanos > 0;
    }

    /** The spell, e.g. 100 µs. */
    public Duration spell() {
        return Duration.ofNanos(nanos);
    }

    /**
     * Checks {@code ready} at least once and keeps checking, yielding between checks, until it is
     * true or the spell is over (unless recent spells missed: see above). Returns whether it became
     * true; if not, the caller should sleep.
     */
    public boolean await(BooleanSupplier ready) {
        if (ready.getAsBoolean()) {
            return true;
        }
        if (nanos == 0 || crowded.getAsBoolean()) {
            return false;
        }
        if (skip > 0) {
            skip--;
            return false;
        }
        long deadline = System.nanoTime() + nanos;
        do {
            Thread.yield();
            if (ready.getAsBoolean()) {
                misses = 0;
                return true;
            }
        } while (System.nanoTime() - deadline < 0);
        misses = Math.min(misses + 1, MAX_MISSES);
        skip = (1 << misses) - 1;
        return false;
    }
}
