package io.zmqtap.zmtp;

import io.zmqtap.event.Frame;
import io.zmqtap.testing.Hex;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ZMTP/1.0: no greeting; length (counting the flags byte), flags, body; the first message is the identity. */
class Zmtp10DecoderTest {
    @Test
    void identityMessageThenDataAreDecoded() {
        RecordingListener events = AbstractZmtpDecoderTest.decodeRaw(true, 1024, Hex.bytes(
                "04 00 616263", // identity "abc" (length 4 = flags + 3)
                "03 01 6964", // MORE "id"
                "01 00", // "" with no MORE
                "06 00 68656c6c6f")); // "hello"
        events.assertGreeting(1, 0, "NULL", false)
                .assertCommand(new ZmtpCommand.Ready(Map.of("Identity", "abc".getBytes())))
                .assertMessage("id", "")
                .assertMessage("hello")
                .assertExhausted();
    }

    @Test
    void longLengthsUseEightBytes() {
        RecordingListener events = AbstractZmtpDecoderTest.decodeRaw(true, 2, Hex.bytes(
                "ff 0000000000000001 00", // identity "" with an 8-byte length (as for identities over 254 bytes)
                "ff 0000000000000004 00 616263")); // "abc", kept as "ab"
        events.assertGreeting(1, 0, "NULL", false)
                .assertCommand(new ZmtpCommand.Ready(Map.of("Identity", new byte[0])))
                .assertMessage(List.of(new Frame("ab".getBytes(), 3)))
                .assertExhausted();
    }

    @Test
    void legacyGreetingWithRevisionZeroUsesV1Framing() {
        RecordingListener events = AbstractZmtpDecoderTest.decodeRaw(true, 1024, Hex.bytes(
                "ff00000000000000017f 00 03", // revision 0, REQ
                "01 00", // identity ""
                "02 00 33")); // "3"
        events.assertGreeting(1, 0, "NULL", false)
                .assertCommand(Zmtp31DecoderTest.ready("REQ", ""))
                .assertMessage("3")
                .assertExhausted();
    }

    @Test
    void zeroLengthIsAProtocolError() {
        RecordingListener events = AbstractZmtpDecoderTest.decodeRaw(true, 1024, Hex.bytes("01 00", "00"));
        events.assertGreeting(1, 0, "NULL", false)
                .assertCommand(new ZmtpCommand.Ready(Map.of("Identity", new byte[0])))
                .assertError(2, "bad ZMTP/1.0 frame length at offset 2: expected 1 or more, got 0")
                .assertExhausted();
    }

    @Test
    void reservedFlagBitsAreAProtocolError() {
        RecordingListener events = AbstractZmtpDecoderTest.decodeRaw(true, 1024, Hex.bytes("01 00", "02 02 61"));
        events.assertGreeting(1, 0, "NULL", false)
                .assertCommand(new ZmtpCommand.Ready(Map.of("Identity", new byte[0])))
                .assertError(3, "bad frame flags at offset 3: expected bits 0x01 only, got 0x02")
                .assertExhausted();
    }
}
