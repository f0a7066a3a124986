package io.zmqtap.zmtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zmqtap.event.Frame;
import io.zmqtap.testing.ZmtpBytes;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What a hostile peer can make one decoder hold: a message that never ends is cut off at
 * {@link MessageAssembler#MAX_FRAMES} frames with one protocol error, its frames past the message's
 * byte budget keep only their size, and an announced frame size costs nothing until its bytes come.
 */
class MessageBoundsTest {
    private static final byte[] HANDSHAKE = new ZmtpBytes().greeting(1).ready("DEALER", null).bytes();
    /** Where the frames after the handshake start. */
    private static final int START = HANDSHAKE.length;

    private final RecordingListener events = new RecordingListener();

    private ZmtpDecoder decoder(int maxFrame) {
        ZmtpDecoder d = new ZmtpDecoder(events, maxFrame);
        d.feed(HANDSHAKE, 0, HANDSHAKE.length);
        events.events.clear();
        return d;
    }

    private static void feed(ZmtpDecoder d, byte[] bytes) {
        d.feed(bytes, 0, bytes.length);
    }

    /** {@code n} one-byte frames, MORE on each one but (when {@code ends}) the last. */
    private static byte[] frames(int n, boolean ends) {
        ByteBuffer b = ByteBuffer.allocate(3 * n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (ends && i == n - 1 ? 0x00 : 0x01)).put((byte) 1).put((byte) 'f');
        }
        return b.array();
    }

    @Test
    void aMessageOfTheMostFramesKeptIsDeliveredWhole() {
        ZmtpDecoder d = decoder(ZmtpDecoder.DEFAULT_MAX_FRAME);
        feed(d, frames(MessageAssembler.MAX_FRAMES, true));

        assertThat(events.events).singleElement().satisfies(m -> assertThat((List<?>) m).hasSize(MessageAssembler.MAX_FRAMES));
        assertThat(d.failed()).isFalse();
    }

    @Test
    void aMessageThatNeverEndsIsOneProtocolErrorAfterTheMostFramesKept() {
        ZmtpDecoder d = decoder(ZmtpDecoder.DEFAULT_MAX_FRAME);
        feed(d, frames(MessageAssembler.MAX_FRAMES, false));
        assertThat(events.events).isEmpty();

        feed(d, frames(1000, false)); // more frames flagged MORE, ever after
        feed(d, frames(3, true));

        long body = START + 3L * MessageAssembler.MAX_FRAMES + 2;
        events.assertError(body, "message with more than 65536 frames: frame 65537's body at offset " + body
                + " is past the most zmqtap keeps of one message");
        events.assertExhausted();
        assertThat(d.failed()).isTrue();
        assertThat(d.offset()).as("what follows is counted").isEqualTo(START + 3L * (MessageAssembler.MAX_FRAMES + 1003));
    }

    @Test
    void framesPastTheMessagesByteBudgetKeepTheirSizeOnly() {
        int frame = 1 << 20;
        int kept = (int) (MessageAssembler.MIN_MESSAGE_KEPT / frame); // frames that fit the budget whole
        ZmtpDecoder d = decoder(frame);
        byte[] body = new byte[frame];
        for (int i = 0; i < kept + 2; i++) {
            ByteBuffer header = ByteBuffer.allocate(9).put((byte) (i == kept + 1 ? 0x02 : 0x03)).putLong(frame);
            feed(d, header.array());
            feed(d, body);
        }

        @SuppressWarnings("unchecked")
        List<Frame> message = (List<Frame>) events.events.removeFirst();
        events.assertExhausted();
        assertThat(message).hasSize(kept + 2);
        assertThat(message.subList(0, kept)).allSatisfy(f -> assertThat(f.data()).hasSize(frame));
        assertThat(message.subList(kept, kept + 2)).allSatisfy(f -> {
            assertThat(f.data()).isEmpty();
            assertThat(f.size()).isEqualTo(frame);
            assertThat(f.truncated()).isTrue();
        });
        // the next message has the whole budget again
        feed(d, new ZmtpBytes().message("", "next").bytes());
        events.assertMessage("", "next");
    }

    @Test
    void anAnnouncedFrameCostsTheBytesThatCameNotItsSize() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM cannot count a thread's allocations");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(), "allocation counting is off");
        int size = (1 << 20) - 1; // just under the default frame kept
        byte[] body = new byte[size];
        new Random(7).nextBytes(body);
        ZmtpDecoder[] decoders = new ZmtpDecoder[100];
        for (int i = 0; i < decoders.length; i++) {
            decoders[i] = decoder(ZmtpDecoder.DEFAULT_MAX_FRAME);
        }
        byte[] header = ByteBuffer.allocate(9).put((byte) 0x02).putLong(size).array();

        long before = threads.getCurrentThreadAllocatedBytes();
        for (ZmtpDecoder d : decoders) {
            feed(d, header);
            d.feed(body, 0, 10); // a trickle
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated / decoders.length).as("bytes allocated per announced MiB").isLessThan(16 * 1024);

        // the rest, in pieces of every size, makes the frame whole
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(body, 10, size - 10);
        byte[] tail = rest.toByteArray();
        int at = 0;
        for (int piece = 1; at < tail.length; piece *= 3) {
            int n = Math.min(piece, tail.length - at);
            decoders[0].feed(tail, at, n);
            at += n;
        }
        @SuppressWarnings("unchecked")
        List<Frame> message = (List<Frame>) events.events.removeFirst();
        events.assertExhausted();
        assertThat(message).singleElement().satisfies(f -> {
            assertThat(f.size()).isEqualTo(size);
            assertThat(f.data()).isEqualTo(body);
        });
    }
}
