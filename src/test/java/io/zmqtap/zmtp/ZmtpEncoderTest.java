package io.zmqtap.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.testing.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the wire engine writes, checked byte for byte and read back by zmqtap's own decoder. */
class ZmtpEncoderTest {
    static final String GREETING = ""
            + "ff0000000000000000 7f" // signature: 0xff, 8 bytes of padding, 0x7f
            + "03 00" // version 3.0
            + "4e554c4c 00000000000000000000000000000000" // mechanism NULL, zero-padded to 20 bytes
            + "00" // as-server: no
            + "00".repeat(31); // filler

    static final String READY_DEALER = ""
            + "04 1c" // COMMAND, 28 bytes
            + "05 5245414459" // READY
            + "0b 536f636b65742d54797065 00000006 4445414c4552"; // Socket-Type = DEALER

    @Test
    void greetingIsZmtp30NullAsClient() {
        byte[] greeting = ZmtpEncoder.greeting();
        assertThat(greeting).hasSize(ZmtpEncoder.GREETING_SIZE).isEqualTo(Hex.bytes(GREETING));
        assertThat(Arrays.copyOf(greeting, ZmtpEncoder.SIGNATURE_SIZE)).isEqualTo(Hex.bytes("ff0000000000000000 7f"));
        decode(greeting).assertGreeting(3, 0, "NULL", false).assertExhausted();
    }

    @Test
    void readyCarriesItsPropertiesInOrder() {
        Map<String, byte[]> properties = new LinkedHashMap<>();
        properties.put("Socket-Type", bytes("DEALER"));
        byte[] ready = ZmtpEncoder.ready(properties);
        assertThat(ready).isEqualTo(Hex.bytes(READY_DEALER));
        decode(ZmtpEncoder.greeting(), ready)
                .assertGreeting(3, 0, "NULL", false)
                .assertCommand(new ZmtpCommand.Ready(properties))
                .assertExhausted();
    }

    @Test
    void readyWithIdentityDecodesToTheSameProperties() {
        Map<String, byte[]> properties = new LinkedHashMap<>();
        properties.put("Socket-Type", bytes("ROUTER"));
        properties.put("Identity", bytes("client-1"));
        byte[] ready = ZmtpEncoder.ready(properties);
        assertThat(ready).isEqualTo(Hex.bytes(
                "04 31", // COMMAND, 1 + 5 + (1 + 11 + 4 + 6) + (1 + 8 + 4 + 8) = 49 bytes
                "05 5245414459", // READY
                "0b 536f636b65742d54797065 00000006 524f55544552", // Socket-Type = ROUTER
                "08 4964656e74697479 00000008 636c69656e742d31")); // Identity = client-1
        RecordingListener events = decode(ZmtpEncoder.greeting(), ready).assertGreeting(3, 0, "NULL", false);
        ZmtpCommand.Ready r = events.nextCommand(ZmtpCommand.Ready.class);
        assertThat(r.socketType()).isEqualTo("ROUTER");
        assertThat(r.identity()).isEqualTo(bytes("client-1"));
        events.assertExhausted();
    }

    @Test
    void aReadyLargerThan255BytesIsALongCommandFrame() {
        Map<String, byte[]> properties = new LinkedHashMap<>();
        properties.put("Socket-Type", bytes("DEALER"));
        properties.put("X-Big", new byte[300]);
        byte[] ready = ZmtpEncoder.ready(properties);
        // COMMAND|LONG, 28 + 1 + 5 + 4 + 300 = 338 bytes
        assertThat(Arrays.copyOf(ready, 9)).isEqualTo(Hex.bytes("06 0000000000000152"));
        assertThat(ready).hasSize(9 + 338);
        decode(ZmtpEncoder.greeting(), ready)
                .assertGreeting(3, 0, "NULL", false)
                .assertCommand(new ZmtpCommand.Ready(properties))
                .assertExhausted();
    }

    @Test
    void pongEchoesThePingContext() {
        byte[] pong = ZmtpEncoder.pong(bytes("ctx"));
        assertThat(pong).isEqualTo(Hex.bytes("04 08 04504f4e47 637478")); // COMMAND, 8: PONG "ctx"
        decode(ZmtpEncoder.greeting(), pong)
                .assertGreeting(3, 0, "NULL", false)
                .assertCommand(new ZmtpCommand.Pong(bytes("ctx")))
                .assertExhausted();
    }

    @Test
    void pongWithoutContextIsJustTheName() {
        assertThat(ZmtpEncoder.pong(new byte[0])).isEqualTo(Hex.bytes("04 05 04504f4e47"));
    }

    @Test
    void errorCarriesItsReason() {
        byte[] error = ZmtpEncoder.error("no");
        assertThat(error).isEqualTo(Hex.bytes("04 09 054552524f52 02 6e6f")); // COMMAND, 9: ERROR, 2 "no"
        decode(ZmtpEncoder.greeting(), error)
                .assertGreeting(3, 0, "NULL", false)
                .assertCommand(new ZmtpCommand.Error("no"))
                .assertExhausted();
    }

    @Test
    void anErrorReasonIsCutTo255Bytes() {
        byte[] error = ZmtpEncoder.error("x".repeat(300));
        // 1 + 5 + 1 + 255 = 262 bytes: a long command frame
        assertThat(Arrays.copyOf(error, 16)).isEqualTo(Hex.bytes("06 0000000000000106 054552524f52 ff"));
        decode(ZmtpEncoder.greeting(), error)
                .assertGreeting(3, 0, "NULL", false)
                .assertCommand(new ZmtpCommand.Error("x".repeat(255)))
                .assertExhausted();
    }

    @Test
    void frameHeadersAreShortUpTo255BytesAndLongAbove() {
        assertThat(header(0, false)).isEqualTo(Hex.bytes("00 00"));
        assertThat(header(5, true)).isEqualTo(Hex.bytes("01 05")); // MORE
        assertThat(header(255, false)).isEqualTo(Hex.bytes("00 ff"));
        assertThat(header(256, false)).isEqualTo(Hex.bytes("02 0000000000000100")); // LONG
        assertThat(header(300, true)).isEqualTo(Hex.bytes("03 000000000000012c")); // LONG|MORE
        assertThat(header(10L << 20, false)).isEqualTo(Hex.bytes("02 0000000000a00000")); // 10 MiB
        assertThat(ZmtpEncoder.headerSize(0)).isEqualTo(2);
        assertThat(ZmtpEncoder.headerSize(255)).isEqualTo(2);
        assertThat(ZmtpEncoder.headerSize(256)).isEqualTo(9);
    }

    @Test
    void framesBuiltWithTheHeadersDecodeAsOneMessage() {
        String big = "b".repeat(300);
        ByteBuffer out = ByteBuffer.allocate(1024);
        ZmtpEncoder.frameHeader(out, 1, true);
        out.put(bytes("a"));
        ZmtpEncoder.frameHeader(out, 0, true);
        ZmtpEncoder.frameHeader(out, big.length(), false);
        out.put(bytes(big));
        byte[] message = Arrays.copyOf(out.array(), out.position());
        decode(ZmtpEncoder.greeting(), Hex.bytes(READY_DEALER), message)
                .assertGreeting(3, 0, "NULL", false)
                .assertCommand(new ZmtpCommand.Ready(Map.of("Socket-Type", bytes("DEALER"))))
                .assertMessage("a", "", big)
                .assertExhausted();
    }

    private static byte[] header(long size, boolean more) {
        ByteBuffer out = ByteBuffer.allocate(ZmtpEncoder.headerSize(size));
        ZmtpEncoder.frameHeader(out, size, more);
        assertThat(out.hasRemaining()).as("headerSize(%d) is what frameHeader writes", size).isFalse();
        return out.array();
    }

    /** Feeds the pieces to a decoder a byte at a time and returns what it reported. */
    private static RecordingListener decode(byte[]... pieces) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : pieces) {
            all.writeBytes(p);
        }
        RecordingListener events = new RecordingListener();
        ZmtpDecoder decoder = new ZmtpDecoder(events);
        byte[] bytes = all.toByteArray();
        for (int i = 0; i < bytes.length; i++) {
            decoder.feed(bytes, i, 1);
        }
        decoder.end();
        return events;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
