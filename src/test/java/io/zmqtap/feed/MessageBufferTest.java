package io.zmqtap.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MessageBufferTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static List<byte[]> message(int payload) {
        return List.of("in".getBytes(), new byte[5], new byte[0], new byte[payload]);
    }

    @Test
    void aMessageCostsItsBytesPlusTheObjectsHoldingThem() {
        // 2 + 5 + 0 + 1000 bytes, 4 frames
        assertThat(MessageBuffer.cost(message(1000)))
                .isEqualTo(1007 + 4 * MessageBuffer.FRAME_OVERHEAD + MessageBuffer.MESSAGE_OVERHEAD);
    }

    @Test
    void whatDoesNotFitIsRefusedAndTheRestComesOutInOrder() throws Exception {
        long one = MessageBuffer.cost(message(1000));
        MessageBuffer buffer = new MessageBuffer(2 * one + 10);

        assertThat(buffer.offer(message(1000), T)).isTrue();
        assertThat(buffer.offer(message(1000), T.plusSeconds(1))).isTrue();
        assertThat(buffer.offer(message(1000), T.plusSeconds(2))).as("a third does not fit").isFalse();
        assertThat(buffer.offer(message(1), T.plusSeconds(3))).as("nor a small one: 10 bytes are left").isFalse();
        assertThat(buffer.bytes()).isEqualTo(2 * one);

        assertThat(buffer.poll(1, TimeUnit.SECONDS).received()).isEqualTo(T);
        assertThat(buffer.offer(message(1000), T.plusSeconds(4))).as("room again").isTrue();
        assertThat(buffer.poll(1, TimeUnit.SECONDS).received()).isEqualTo(T.plusSeconds(1));
        assertThat(buffer.poll(1, TimeUnit.SECONDS).received()).isEqualTo(T.plusSeconds(4));
        assertThat(buffer.poll(10, TimeUnit.MILLISECONDS)).as("empty: times out").isNull();
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void aMessageLargerThanTheWholeBufferIsRefusedEvenWhenEmpty() {
        MessageBuffer buffer = new MessageBuffer(1000);
        assertThat(buffer.offer(message(2000), T)).isFalse();
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void closingDiscardsWhatIsLeftAndRefusesMore() throws Exception {
        MessageBuffer buffer = new MessageBuffer(1 << 20);
        buffer.offer(message(10), T);
        buffer.offer(message(10), T);

        assertThat(buffer.close()).isEqualTo(2);

        assertThat(buffer.offer(message(10), T)).isFalse();
        assertThat(buffer.poll(1, TimeUnit.SECONDS)).isNull();
        assertThat(buffer.bytes()).isZero();
    }
}
