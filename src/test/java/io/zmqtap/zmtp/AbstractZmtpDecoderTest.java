package io.zmqtap.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Frame;
import io.zmqtap.testing.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Behaviour every framing version shares, run once per version by a subclass that supplies the
 * handshake bytes (greeting, and READY or identity frame) and the events they decode to.
 *
 * <p>Every fixture is decoded four ways: whole, one byte at a time, from a direct buffer and in
 * two halves; all must give the same events.
 */
abstract class AbstractZmtpDecoderTest {
    /** Greeting plus the handshake that precedes data: hex. */
    abstract String handshake();

    /** Takes the events {@link #handshake()} decodes to off the recording. */
    abstract void assertHandshake(RecordingListener events);

    /** Offset of the first byte after the handshake. */
    int dataStart() {
        return Hex.bytes(handshake()).length;
    }

    /** Decodes handshake + frames, then ends the stream. */
    RecordingListener decode(String... frames) {
        return decode(true, ZmtpDecoder.DEFAULT_MAX_FRAME, frames);
    }

    RecordingListener decode(boolean end, int maxFrame, String... frames) {
        String[] all = new String[frames.length + 1];
        all[0] = handshake();
        System.arraycopy(frames, 0, all, 1, frames.length);
        return decodeRaw(end, maxFrame, Hex.bytes(all));
    }

    /** Decodes {@code bytes} whole, byte by byte, direct and halved; asserts all four agree. */
    static RecordingListener decodeRaw(boolean end, int maxFrame, byte[] bytes) {
        RecordingListener whole = new RecordingListener();
        ZmtpDecoder decoder = new ZmtpDecoder(whole, maxFrame);
        decoder.feed(bytes, 0, bytes.length);
        finish(decoder, end, bytes.length);

        RecordingListener single = new RecordingListener();
        ZmtpDecoder byteByByte = new ZmtpDecoder(single, maxFrame);
        for (int i = 0; i < bytes.length; i++) {
            byteByByte.feed(new byte[] {bytes[i]}, 0, 1);
        }
        finish(byteByByte, end, bytes.length);

        RecordingListener direct = new RecordingListener();
        ZmtpDecoder fromDirect = new ZmtpDecoder(direct, maxFrame);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        fromDirect.feed(buffer);
        assertThat(buffer.hasRemaining()).isFalse();
        finish(fromDirect, end, bytes.length);

        RecordingListener halves = new RecordingListener();
        ZmtpDecoder halved = new ZmtpDecoder(halves, maxFrame);
        ByteBuffer heap = ByteBuffer.wrap(Arrays.copyOf(bytes, bytes.length + 3), 0, bytes.length);
        heap.limit(bytes.length / 2);
        halved.feed(heap.slice());
        heap.position(bytes.length / 2).limit(bytes.length);
        halved.feed(heap);
        finish(halved, end, bytes.length);

        assertThat(single.all()).as("byte by byte").isEqualTo(whole.all());
        assertThat(direct.all()).as("direct buffer").isEqualTo(whole.all());
        assertThat(halves.all()).as("two halves").isEqualTo(whole.all());
        return whole;
    }

    private static void finish(ZmtpDecoder decoder, boolean end, int length) {
        if (end) {
            decoder.end();
        }
        assertThat(decoder.offset()).isEqualTo(length);
    }

    @Test
    void handshakeAloneDecodesToGreetingAndPeerMetadata() {
        RecordingListener events = decode();
        assertHandshake(events);
        events.assertExhausted();
    }

    @Test
    void singleFrameMessageIsReported() {
        RecordingListener events = decode("00 05 68656c6c6f"); // hello
        assertHandshake(events);
        events.assertMessage("hello").assertExhausted();
    }

    @Test
    void multipartMessageIsReportedOnceWhole() {
        RecordingListener events = decode(
                "01 02 6964", // MORE "id"
                "01 00", // MORE "" (delimiter)
                "00 01 33"); // "3"
        assertHandshake(events);
        events.assertMessage("id", "", "3").assertExhausted();
    }

    @Test
    void messagesFollowEachOtherInOrder() {
        RecordingListener events = decode("00 01 30", "00 01 31", "01 01 32", "00 01 33");
        assertHandshake(events);
        events.assertMessage("0").assertMessage("1").assertMessage("2", "3").assertExhausted();
    }

    @Test
    void longFrameHasEightByteSize() {
        byte[] payload = new byte[300];
        Arrays.fill(payload, (byte) 'x');
        RecordingListener events = decode("02 000000000000012c" + "78".repeat(300)); // LONG, 300 bytes of x
        assertHandshake(events);
        events.assertMessage(List.of(Frame.of(payload))).assertExhausted();
    }

    @Test
    void longFlagWithSmallSizeIsAccepted() {
        RecordingListener events = decode("02 0000000000000002 6869"); // LONG, size 2, "hi"
        assertHandshake(events);
        events.assertMessage("hi").assertExhausted();
    }

    @Test
    void frameOverMaxFrameKeepsFirstBytesAndReportsTrueSize() {
        RecordingListener events = decode(true, 4, "00 0a 30313233343536373839"); // "0123456789"
        assertHandshake(events);
        events.assertMessage(List.of(new Frame("0123".getBytes(), 10))).assertExhausted();
    }

    @Test
    void zeroMaxFrameKeepsNothingButCountsEverything() {
        RecordingListener events = decode(true, 0, "01 03 616263", "00 00");
        assertHandshake(events);
        events.assertMessage(List.of(new Frame(new byte[0], 3), Frame.EMPTY)).assertExhausted();
    }

    @Test
    void hugeAnnouncedFrameIsSkippedNotAllocated() {
        // 2^62 bytes announced, 4 sent: nothing is allocated beyond maxFrame, the end is reported.
        RecordingListener events = decode(true, 16, "02 4000000000000000 61626364");
        assertHandshake(events);
        long at = dataStart() + 13;
        events.assertError(at, "stream ended mid-frame at offset " + at
                + ": expected 4611686018427387904 body bytes, got 4 of them").assertExhausted();
    }

    @Test
    void sizeWithTopBitSetIsAProtocolError() {
        RecordingListener events = decode("02 8000000000000000 61626364"); // 2^63
        assertHandshake(events);
        long at = dataStart() + 1;
        events.assertError(at, "frame size 9223372036854775808 at offset " + at
                + " exceeds 9223372036854775807, the largest size ZMTP allows").assertExhausted();
    }

    @Test
    void reservedFlagBitIsAProtocolErrorAndLaterInputIsIgnored() {
        byte[] bytes = Hex.bytes(handshake(), "00 01 61", "08 01 62", "00 01 63");
        RecordingListener events = new RecordingListener();
        ZmtpDecoder decoder = new ZmtpDecoder(events);
        decoder.feed(bytes, 0, bytes.length);
        decoder.feed(bytes, 0, bytes.length); // garbage after the error: counted, not decoded
        decoder.end();

        assertThat(decoder.failed()).isTrue();
        assertThat(decoder.offset()).isEqualTo(2L * bytes.length);
        assertHandshake(events);
        long at = dataStart() + 3;
        events.assertMessage("a")
                .assertError(at, "bad frame flags at offset " + at + ": expected bits " + validFlags()
                        + " only, got 0x08")
                .assertExhausted();
    }

    /** The flag bits this version allows, as the error message prints them. */
    String validFlags() {
        return "0x07";
    }

    @Test
    void streamEndingAfterMoreFrameIsReported() {
        RecordingListener events = decode("01 01 61"); // MORE "a", then nothing
        assertHandshake(events);
        long at = dataStart() + 3;
        events.assertError(at, "stream ended mid-message at offset " + at
                + ": expected another frame after one flagged MORE, got end of stream").assertExhausted();
    }

    @Test
    void streamEndingInsideABodyIsReported() {
        RecordingListener events = decode("00 05 6865"); // 5 bytes announced, 2 sent
        assertHandshake(events);
        long at = dataStart() + 4;
        events.assertError(at, "stream ended mid-frame at offset " + at + ": expected 5 body bytes, got 2 of them")
                .assertExhausted();
    }

    @Test
    void streamEndingInsideASizeIsReported() {
        RecordingListener events = decode("02 0000"); // LONG flag, 2 of 8 size bytes
        assertHandshake(events);
        long at = dataStart() + 3;
        events.assertError(at, "stream ended mid-frame at offset " + at
                + ": expected the frame's size and flags, got end of stream").assertExhausted();
    }

    @Test
    void openStreamWithoutEndReportsNoError() {
        RecordingListener events = decode(false, ZmtpDecoder.DEFAULT_MAX_FRAME, "00 01 61", "01 01 62", "00 03");
        assertHandshake(events);
        events.assertMessage("a").assertExhausted();
    }

    @Test
    void greetingIsAvailableAfterHandshake() {
        byte[] bytes = Hex.bytes(handshake());
        ZmtpDecoder decoder = new ZmtpDecoder(new RecordingListener());
        assertThat(decoder.greeting()).isNull();
        decoder.feed(bytes, 0, bytes.length);
        RecordingListener expected = decode();
        assertThat(decoder.greeting()).isEqualTo(expected.events.peekFirst());
        assertThat(decoder.failed()).isFalse();
    }
}
