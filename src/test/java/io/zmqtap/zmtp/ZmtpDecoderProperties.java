package io.zmqtap.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Frame;
import io.zmqtap.testing.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import zmq.Msg;
import zmq.io.coder.v2.V2Encoder;
import zmq.util.Errno;
import zmq.util.ValueReference;

/** The decoder against JeroMQ's own encoder, and against random bytes. */
class ZmtpDecoderProperties {
    /** A greeting and READY as JeroMQ 0.6.0 (ZMTP/3.0) sends them; the READY is encoded by JeroMQ too. */
    private static byte[] jeromqHandshake() {
        Msg ready = new Msg(1 + 5 + 1 + 11 + 4 + 6); // a Msg's capacity is its size
        ready.setFlags(Msg.COMMAND);
        ready.putShortString("READY");
        ready.putShortString("Socket-Type");
        ready.put(new byte[] {0, 0, 0, 6});
        ready.put("DEALER".getBytes());
        return concat(Hex.bytes(Zmtp30DecoderTest.GREETING_30), encode(List.of(ready)));
    }

    @Property(tries = 300)
    void jeromqEncodedMessagesDecodeToTheSameFramesAtAnySplit(
            @ForAll("messages") List<List<byte[]>> messages, @ForAll Random random) {
        List<Msg> msgs = new ArrayList<>();
        for (List<byte[]> message : messages) {
            for (int i = 0; i < message.size(); i++) {
                Msg msg = new Msg(message.get(i));
                if (i < message.size() - 1) {
                    msg.setFlags(Msg.MORE);
                }
                msgs.add(msg);
            }
        }
        byte[] stream = concat(jeromqHandshake(), encode(msgs));

        RecordingListener events = new RecordingListener();
        ZmtpDecoder decoder = new ZmtpDecoder(events);
        feedInRandomPieces(decoder, stream, random);
        decoder.end();

        assertThat(events.all()).filteredOn(e -> e instanceof ProtocolError).isEmpty();
        events.assertGreeting(3, 0, "NULL", false);
        assertThat(events.nextCommand(ZmtpCommand.Ready.class).socketType()).isEqualTo("DEALER");
        for (List<byte[]> message : messages) {
            List<Frame> frames = new ArrayList<>();
            for (byte[] part : message) {
                frames.add(Frame.of(part));
            }
            events.assertMessage(frames);
        }
        events.assertExhausted();
    }

    @Property(tries = 1000)
    void randomBytesNeverThrowAndStayWithinTheBound(
            @ForAll @Size(max = 600) byte[] garbage,
            @ForAll @IntRange(max = 40) int maxFrame,
            @ForAll("prefixes") String prefix,
            @ForAll Random random) {
        byte[] stream = concat(Hex.bytes(prefix), garbage);
        RecordingListener recording = new RecordingListener();
        ZmtpDecoder decoder = new ZmtpDecoder(recording, maxFrame);
        feedInRandomPieces(decoder, stream, random);
        decoder.end();

        assertThat(decoder.offset()).isEqualTo(stream.length);
        List<Object> events = recording.all();
        for (Object event : events) {
            if (event instanceof List<?> frames) {
                assertThat(frames).allSatisfy(f -> assertThat(((Frame) f).data().length).isLessThanOrEqualTo(maxFrame));
            } else if (event instanceof ProtocolError error) {
                assertThat(error.offset()).isBetween(0L, (long) stream.length);
                assertThat(error.message()).contains("at offset " + error.offset());
            }
        }
        long errors = events.stream().filter(e -> e instanceof ProtocolError).count();
        assertThat(errors).isLessThanOrEqualTo(1);
        assertThat(decoder.failed()).isEqualTo(errors == 1);
        if (errors == 1) {
            assertThat(events.get(events.size() - 1)).isInstanceOf(ProtocolError.class);
        }
    }

    /** Starting points that get random bytes past the greeting into every framing version. */
    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of(
                "",
                Zmtp31DecoderTest.GREETING_31,
                Zmtp30DecoderTest.GREETING_30 + Zmtp30DecoderTest.READY_SUB,
                Zmtp20DecoderTest.GREETING_20,
                "ff00000000000000017f0003", // revision 0: 1.0 framing
                "0100"); // bare ZMTP/1.0
    }

    @Provide
    Arbitrary<List<List<byte[]>>> messages() {
        Arbitrary<byte[]> frame = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20),
                Arbitraries.bytes().array(byte[].class).ofMinSize(250).ofMaxSize(700));
        return frame.list().ofMinSize(1).ofMaxSize(4).list().ofMaxSize(8);
    }

    static void feedInRandomPieces(ZmtpDecoder decoder, byte[] stream, Random random) {
        int pos = 0;
        while (pos < stream.length) {
            int n = 1 + random.nextInt(Math.min(stream.length - pos, 1 + random.nextInt(80)));
            if (random.nextBoolean()) {
                decoder.feed(stream, pos, n);
            } else {
                ByteBuffer direct = ByteBuffer.allocateDirect(n).put(stream, pos, n).flip();
                decoder.feed(direct);
            }
            pos += n;
        }
    }

    /** Wire bytes for {@code msgs}, produced by JeroMQ's V2Encoder (ZMTP 3.x framing). */
    static byte[] encode(List<Msg> msgs) {
        V2Encoder encoder = new V2Encoder(new Errno(), 8192);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        for (Msg msg : msgs) {
            encoder.loadMsg(msg);
            for (;;) {
                buffer.clear();
                int n = encoder.encode(new ValueReference<>(buffer), buffer.capacity());
                if (n == 0) {
                    break;
                }
                out.write(buffer.array(), 0, n);
            }
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
