package io.zmqtap.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Frame;
import io.zmqtap.testing.ZmtpBytes;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Read-only buffers (a capture file's slices) are decoded through one scratch per thread, shared
 * by every decoder on it: interleaved decoders, and a decoder fed from inside another's callback,
 * must each see exactly their own bytes.
 */
class ZmtpDecoderScratchTest {
    private static final byte[] STREAM = new ZmtpBytes().greeting(1).ready("REQ", "")
            .message("", "0").message("", "1").message("", "2").bytes();
    /** Other bytes at the same offsets: a shared scratch overwritten under the outer decoder would show. */
    private static final byte[] OTHER = new ZmtpBytes().greeting(0).ready("REP", "")
            .message("", "7").message("", "8").message("", "9").bytes();

    @Test
    void decodersInterleavedOnOneThreadShareTheScratchWithoutMixingBytes() {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        ZmtpDecoder da = new ZmtpDecoder(a);
        ZmtpDecoder db = new ZmtpDecoder(b);
        for (int at = 0; at < STREAM.length; at += 7) { // uneven pieces, alternating decoders
            int n = Math.min(7, STREAM.length - at);
            da.feed(ByteBuffer.wrap(STREAM, at, n).asReadOnlyBuffer());
            db.feed(ByteBuffer.wrap(STREAM, at, n).asReadOnlyBuffer());
        }
        RecordingListener expected = new RecordingListener();
        new ZmtpDecoder(expected).feed(STREAM, 0, STREAM.length);
        assertThat(a.all()).isEqualTo(expected.all()).hasSize(5);
        assertThat(b.all()).isEqualTo(expected.all());
    }

    @Test
    void aDecoderFedFromAnotherDecodersCallbackGetsItsOwnScratch() {
        RecordingListener inner = new RecordingListener();
        ZmtpDecoder nested = new ZmtpDecoder(inner);
        RecordingListener outer = new RecordingListener();
        ZmtpListener feedsAnother = new ZmtpListener() {
            @Override
            public void greeting(Greeting g) {
                outer.greeting(g);
            }

            @Override
            public void command(ZmtpCommand c) {
                outer.command(c);
            }

            @Override
            public void message(List<Frame> frames) {
                outer.message(frames);
                // while the outer decoder still reads from the thread's scratch
                nested.feed(ByteBuffer.wrap(OTHER).asReadOnlyBuffer());
            }

            @Override
            public void protocolError(ProtocolError e) {
                outer.protocolError(e);
            }
        };
        new ZmtpDecoder(feedsAnother).feed(ByteBuffer.wrap(STREAM).asReadOnlyBuffer());
        RecordingListener expected = new RecordingListener();
        new ZmtpDecoder(expected).feed(STREAM, 0, STREAM.length);
        assertThat(outer.all()).isEqualTo(expected.all());
        // the first stream's greeting and READY, then 3 messages each time it was fed; the later
        // greetings are bytes of messages to it (protocol errors are fine: what counts is no mixing)
        RecordingListener other = new RecordingListener();
        new ZmtpDecoder(other).feed(OTHER, 0, OTHER.length);
        assertThat(inner.all().subList(0, 5)).isEqualTo(other.all());
    }
}
