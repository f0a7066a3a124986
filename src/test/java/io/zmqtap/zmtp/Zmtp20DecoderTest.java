package io.zmqtap.zmtp;

import io.zmqtap.testing.Hex;
import org.junit.jupiter.api.Test;

/** ZMTP/2.0 (RFC 15): 12-byte greeting with the socket type, then an identity frame; no commands. */
class Zmtp20DecoderTest extends AbstractZmtpDecoderTest {
    static final String GREETING_20 = ""
            + "ff00000000000000017f" // signature
            + "01" // revision 1: ZMTP/2.0
            + "02"; // socket type SUB

    @Override
    String handshake() {
        return GREETING_20 + "00 00"; // identity frame: empty
    }

    @Override
    void assertHandshake(RecordingListener events) {
        events.assertGreeting(2, 0, "NULL", false).assertCommand(Zmtp31DecoderTest.ready("SUB", ""));
    }

    @Override
    String validFlags() {
        return "0x03";
    }

    @Test
    void identityFrameBecomesReadyIdentity() {
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes(
                "ff00000000000000047f 01 05", // 2.0, DEALER
                "00 03 616263")); // identity "abc"
        events.assertGreeting(2, 0, "NULL", false).assertCommand(Zmtp31DecoderTest.ready("DEALER", "abc"))
                .assertExhausted();
    }

    @Test
    void commandFlagIsAProtocolErrorInZmtp20() {
        RecordingListener events = decode("04 08 04504f4e47637478");
        assertHandshake(events);
        int at = dataStart();
        events.assertError(at, "bad frame flags at offset " + at + ": expected bits 0x03 only, got 0x04")
                .assertExhausted();
    }

    @Test
    void subscriptionDataFrameFromSubscriberIsASubscribe() {
        RecordingListener events = decode("00 08 0177656174686572");
        assertHandshake(events);
        events.assertCommand(new ZmtpCommand.Subscribe("weather".getBytes(), true)).assertExhausted();
    }

    @Test
    void streamEndingBeforeSocketTypeIsReported() {
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes("ff00000000000000017f01"));
        events.assertError(11, "stream ended mid-greeting at offset 11: expected a socket type byte, got end of stream")
                .assertExhausted();
    }
}
