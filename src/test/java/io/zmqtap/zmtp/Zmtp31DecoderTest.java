package io.zmqtap.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Frame;
import io.zmqtap.testing.Hex;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ZMTP/3.1 as libzmq 4.3 speaks it: 64-byte greeting, READY, SUBSCRIBE/CANCEL and PING/PONG commands. */
class Zmtp31DecoderTest extends AbstractZmtpDecoderTest {
    static final String GREETING_31 = ""
            + "ff00000000000000017f" // signature (libzmq puts identity length + 1 in the padding)
            + "0301" // version 3.1
            + "4e554c4c00000000000000000000000000000000" // mechanism NULL
            + "00" // as-server: no
            + "00000000000000000000000000000000000000000000000000000000000000"; // filler

    static final String READY_REQ = ""
            + "0426" // COMMAND, 38 bytes
            + "055245414459" // READY
            + "0b536f636b65742d5479706500000003524551" // Socket-Type = REQ
            + "084964656e7469747900000000"; // Identity = ""

    @Override
    String handshake() {
        return GREETING_31 + READY_REQ;
    }

    @Override
    void assertHandshake(RecordingListener events) {
        events.assertGreeting(3, 1, "NULL", false).assertCommand(ready("REQ", ""));
    }

    static ZmtpCommand.Ready ready(String socketType, String identity) {
        Map<String, byte[]> properties = new LinkedHashMap<>();
        properties.put("Socket-Type", socketType.getBytes(StandardCharsets.US_ASCII));
        properties.put("Identity", identity.getBytes(StandardCharsets.US_ASCII));
        return new ZmtpCommand.Ready(properties);
    }

    @Test
    void readyPropertiesAreReadable() {
        RecordingListener events = decode();
        events.assertGreeting(3, 1, "NULL", false);
        ZmtpCommand.Ready ready = events.nextCommand(ZmtpCommand.Ready.class);
        assertThat(ready.socketType()).isEqualTo("REQ");
        assertThat(ready.identity()).isNull(); // empty Identity means none
        events.assertExhausted();
    }

    @Test
    void readyWithIdentityExposesIt() {
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes(GREETING_31,
                "0436" // COMMAND, 54 bytes
                + "055245414459" // READY
                + "0b536f636b65742d54797065000000064445414c4552" // Socket-Type = DEALER
                + "084964656e746974790000000d636c69656e745f69645f616263")); // Identity = client_id_abc
        events.assertGreeting(3, 1, "NULL", false);
        ZmtpCommand.Ready ready = events.nextCommand(ZmtpCommand.Ready.class);
        assertThat(ready.socketType()).isEqualTo("DEALER");
        assertThat(new String(ready.identity(), StandardCharsets.US_ASCII)).isEqualTo("client_id_abc");
        events.assertExhausted();
    }

    @Test
    void subscribeAndCancelCommandsAreDecoded() {
        RecordingListener events = decode(
                "0411 09535542534352494245 77656174686572", // SUBSCRIBE weather
                "040e 0643414e43454c 77656174686572"); // CANCEL weather
        assertHandshake(events);
        events.assertCommand(new ZmtpCommand.Subscribe("weather".getBytes(), false))
                .assertCommand(new ZmtpCommand.Cancel("weather".getBytes(), false))
                .assertExhausted();
    }

    @Test
    void pingAndPongCarryTtlAndContext() {
        RecordingListener events = decode(
                "040a 0450494e47 0064 637478", // PING ttl 10 s, context "ctx"
                "0408 04504f4e47 637478"); // PONG "ctx"
        assertHandshake(events);
        events.assertCommand(new ZmtpCommand.Ping(100, "ctx".getBytes()))
                .assertCommand(new ZmtpCommand.Pong("ctx".getBytes()))
                .assertExhausted();
    }

    @Test
    void errorCommandCarriesReason() {
        RecordingListener events = decode("040d 054552524f52 0664656e696564"); // ERROR "denied"
        assertHandshake(events);
        events.assertCommand(new ZmtpCommand.Error("denied")).assertExhausted();
    }

    @Test
    void unknownCommandIsNamedWithItsSize() {
        RecordingListener events = decode("0407 03464f4f 616263"); // FOO + 3 bytes
        assertHandshake(events);
        events.assertCommand(new ZmtpCommand.Unknown("FOO", 3)).assertExhausted();
    }

    @Test
    void commandInsideAMultipartMessageDoesNotBreakIt() {
        RecordingListener events = decode("01 01 61", "0408 04504f4e47 637478", "00 01 62");
        assertHandshake(events);
        events.assertCommand(new ZmtpCommand.Pong("ctx".getBytes())).assertMessage("a", "b").assertExhausted();
    }

    @Test
    void dataFrameStartingWithOneFromNonSubscriberIsAMessage() {
        RecordingListener events = decode("00 08 0177656174686572"); // \x01weather from a REQ
        assertHandshake(events);
        events.assertMessage("\u0001weather").assertExhausted();
    }

    @Test
    void commandWithMoreFlagIsAProtocolError() {
        RecordingListener events = decode("05 08 04504f4e47637478");
        assertHandshake(events);
        int at = dataStart();
        events.assertError(at, "bad frame flags at offset " + at + ": expected MORE clear on a command, got 0x05")
                .assertExhausted();
    }

    @Test
    void propertyValueRunningPastTheCommandIsAProtocolError() {
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes(GREETING_31,
                "0419 055245414459 0b536f636b65742d54797065 000000ff 524551")); // value length 255, 3 sent
        events.assertGreeting(3, 1, "NULL", false);
        int at = 64 + 2 + 6 + 12;
        events.assertError(at, "bad property value length at offset " + at + ": expected at most 3, got 255")
                .assertExhausted();
    }

    @Test
    void emptyCommandIsAProtocolError() {
        RecordingListener events = decode("04 00");
        assertHandshake(events);
        int at = dataStart() + 2;
        events.assertError(at, "empty command frame at offset " + at + ": expected a command name, got 0 bytes")
                .assertExhausted();
    }

    @Test
    void greetingSplitLikeLibzmqIsReassembled() {
        byte[] greeting = Hex.bytes(GREETING_31);
        RecordingListener events = new RecordingListener();
        ZmtpDecoder decoder = new ZmtpDecoder(events);
        decoder.feed(greeting, 0, 10);
        decoder.feed(greeting, 10, 1);
        assertThat(decoder.greeting()).isNull();
        decoder.feed(greeting, 11, 53);
        assertThat(decoder.greeting()).isEqualTo(new Greeting(3, 1, "NULL", false));
        assertThat(decoder.greeting().version()).isEqualTo("3.1");
        events.assertGreeting(3, 1, "NULL", false).assertExhausted();
    }

    @Test
    void httpRequestIsABadSignature() {
        RecordingListener events = decodeRaw(true, 1024, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        events.assertError(0, "bad greeting signature at offset 0: expected 0xff, got 0x47").assertExhausted();
    }

    @Test
    void wrongSignatureEndIsReported() {
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes("ff00000000000000017e0301"));
        events.assertError(9, "bad greeting signature at offset 9: expected 0x7f, got 0x7e").assertExhausted();
    }

    @Test
    void unknownVersionTwoWithV3GreetingIsReported() {
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes("ff00000000000000017f02"));
        events.assertError(10, "bad greeting version at offset 10: expected 0x00, 0x01 or 0x03 and up, got 0x02")
                .assertExhausted();
    }

    @Test
    void lowerCaseMechanismIsReported() {
        String bad = GREETING_31.replace("4e554c4c", "6e756c6c"); // "null"
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes(bad));
        events.assertError(12, "bad greeting mechanism at offset 12: expected A-Z, 0-9, '-', '_', '.', '+'"
                + " or zero padding, got 0x6e").assertExhausted();
    }

    @Test
    void streamEndingMidGreetingIsReported() {
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes(GREETING_31.substring(0, 40)));
        events.assertError(20, "stream ended mid-greeting at offset 20: expected 64 greeting bytes, got 20 of them")
                .assertExhausted();
    }

    @Test
    void emptyStreamIsNotAnError() {
        RecordingListener events = decodeRaw(true, 1024, new byte[0]);
        events.assertExhausted();
    }

    /** A libzmq 4.3 greeting after CURVE was configured; the handshake commands are left out. */
    static final String GREETING_31_CURVE = GREETING_31.replace("4e554c4c00", "4355525645");

    /** A CURVE MESSAGE box as libzmq 4.3 sends it: a data frame, flags 0x00, 13 bytes. */
    static final String CURVE_MESSAGE_FRAME = "000d 074d455353414745 0102030405"; // \x07MESSAGE + 5 bytes

    @Test
    void curveMessageSentAsDataFrameIsACurveCommandNotAMessage() {
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes(GREETING_31_CURVE, CURVE_MESSAGE_FRAME,
                CURVE_MESSAGE_FRAME));
        events.assertGreeting(3, 1, "CURVE", false)
                .assertCommand(new ZmtpCommand.CurveCommand("MESSAGE", 5))
                .assertCommand(new ZmtpCommand.CurveCommand("MESSAGE", 5))
                .assertExhausted();
    }

    @Test
    void curveMessageIsNamedEvenWhenMaxFrameKeepsNoDataBytes() {
        String box = "00".repeat(300);
        RecordingListener events = decodeRaw(true, 0, Hex.bytes(GREETING_31_CURVE,
                "02 0000000000000134 074d455353414745 " + box, // LONG, 308 bytes: \x07MESSAGE + 300
                "00 03 616263")); // a data frame that is no box keeps maxFrame bytes, as on any connection
        events.assertGreeting(3, 1, "CURVE", false)
                .assertCommand(new ZmtpCommand.CurveCommand("MESSAGE", 300))
                .assertMessage(List.of(new Frame(new byte[0], 3)))
                .assertExhausted();
    }

    @Test
    void curveDataFrameWithoutTheMessageNameStaysAMessageCutToMaxFrame() {
        RecordingListener events = decodeRaw(true, 2, Hex.bytes(GREETING_31_CURVE, "00 05 6162636465"));
        events.assertGreeting(3, 1, "CURVE", false)
                .assertMessage(List.of(new Frame("ab".getBytes(StandardCharsets.US_ASCII), 5)))
                .assertExhausted();
    }

    @Test
    void messageNameInADataFrameWithoutCurveIsPlainData() {
        RecordingListener events = decode(CURVE_MESSAGE_FRAME);
        assertHandshake(events);
        events.assertMessage(List.of(Frame.of(Hex.bytes("074d455353414745 0102030405")))).assertExhausted();
    }
}
