package io.zmqtap.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.ZmqTapException;
import org.junit.jupiter.api.Test;

class FeedLimitsTest {
    private static final long MIB = 1 << 20;

    @Test
    void limitsFollowTheHeap() {
        // -Xmx64m: a quarter for the buffer, 128 KiB frames, JeroMQ's queue at most another quarter
        assertThat(FeedLimits.forHeap(64 * MIB, 0, 0)).isEqualTo(new FeedLimits(16 * MIB, 128 * 1024, 128));
        assertThat(FeedLimits.forHeap(4096 * MIB, 0, 0)).isEqualTo(new FeedLimits(1024 * MIB, 8 * MIB, 128));
        // small heaps keep 64 KiB frames, and JeroMQ's queue shrinks to fit
        assertThat(FeedLimits.forHeap(16 * MIB, 0, 0)).isEqualTo(new FeedLimits(4 * MIB, 64 * 1024, 64));
    }

    @Test
    void givenLimitsWinAndJeromqsQueueKeepsItsShareOfTheHeap() {
        assertThat(FeedLimits.forHeap(1024 * MIB, 8 * MIB, MIB)).isEqualTo(new FeedLimits(8 * MIB, MIB, 256));
        assertThat(FeedLimits.forHeap(1024 * MIB, 0, 1024)).extracting(FeedLimits::receiveHwm).isEqualTo(1000);
        assertThat(FeedLimits.forHeap(1024 * MIB, 0, 64 * MIB)).extracting(FeedLimits::receiveHwm).isEqualTo(4);
    }

    @Test
    void limitsTheHeapCannotHoldAreRefused() {
        assertThatThrownBy(() -> FeedLimits.forHeap(64 * MIB, 40 * MIB, 0))
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("a feed buffer of 40 MiB is more than half of the 64 MiB heap: ask for less, or give Java more (-Xmx)");
        assertThatThrownBy(() -> FeedLimits.forHeap(64 * MIB, 0, 8 * MIB))
                .hasMessage("a largest frame of 8 MiB is more than a sixteenth of the 64 MiB heap: ask for less,"
                        + " or give Java more (-Xmx)");
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertThat(FeedLimits.size(900)).isEqualTo("900 B");
        assertThat(FeedLimits.size(64 * 1024)).isEqualTo("64 KiB");
        assertThat(FeedLimits.size(3 * MIB / 2)).isEqualTo("1.5 MiB");
        assertThat(FeedLimits.size(16L << 30)).isEqualTo("16 GiB");
    }
}
