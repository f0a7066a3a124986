package io.zmqtap.zmtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.testing.Hex;
import org.junit.jupiter.api.Test;

/** ZMTP/3.0 as JeroMQ 0.6.0 speaks it: subscriptions travel as data frames starting 0x01 / 0x00. */
class Zmtp30DecoderTest extends AbstractZmtpDecoderTest {
    static final String GREETING_30 = ""
            + "ff00000000000000017f" // signature
            + "0300" // version 3.0
            + "4e554c4c00000000000000000000000000000000" // mechanism NULL
            + "00" // as-server: no
            + "00000000000000000000000000000000000000000000000000000000000000"; // filler

    static final String READY_SUB = ""
            + "0426" // COMMAND, 38 bytes
            + "055245414459" // READY
            + "0b536f636b65742d5479706500000003535542" // Socket-Type = SUB
            + "084964656e7469747900000000"; // Identity = ""

    @Override
    String handshake() {
        return GREETING_30 + READY_SUB;
    }

    @Override
    void assertHandshake(RecordingListener events) {
        events.assertGreeting(3, 0, "NULL", false).assertCommand(Zmtp31DecoderTest.ready("SUB", ""));
    }

    @Test
    void subscriptionDataFrameFromSubscriberIsASubscribe() {
        RecordingListener events = decode("00 08 0177656174686572"); // \x01weather, as JeroMQ sends it
        assertHandshake(events);
        events.assertCommand(new ZmtpCommand.Subscribe("weather".getBytes(), true)).assertExhausted();
    }

    @Test
    void cancelDataFrameFromSubscriberIsACancel() {
        RecordingListener events = decode("00 08 0077656174686572", "00 01 01"); // cancel weather, subscribe all
        assertHandshake(events);
        events.assertCommand(new ZmtpCommand.Cancel("weather".getBytes(), true))
                .assertCommand(new ZmtpCommand.Subscribe(new byte[0], true))
                .assertExhausted();
    }

    @Test
    void otherDataFromSubscriberStaysAMessage() {
        RecordingListener events = decode("00 02 0261", "01 01 01", "00 01 62"); // 0x02 'a'; multipart
        assertHandshake(events);
        events.assertMessage("\u0002a").assertMessage("\u0001", "b").assertExhausted();
    }

    @Test
    void plainHandshakeMasksThePassword() {
        String greeting = GREETING_30.replace("4e554c4c00", "504c41494e"); // PLAIN
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes(greeting,
                "0413 0548454c4c4f 0561646d696e 06736563726574", // HELLO admin / secret
                "0408 0757454c434f4d45", // WELCOME
                "041c 08494e4954494154450b536f636b65742d5479706500000003524551")); // INITIATE Socket-Type REQ
        events.assertGreeting(3, 0, "PLAIN", false)
                .assertCommand(new ZmtpCommand.Hello("admin", "****"))
                .assertCommand(new ZmtpCommand.Welcome());
        ZmtpCommand.Initiate initiate = events.nextCommand(ZmtpCommand.Initiate.class);
        assertThat(initiate.socketType()).isEqualTo("REQ");
        assertThat(initiate.toString()).doesNotContain("secret");
        events.assertExhausted();
    }

    @Test
    void curveCommandsAreMarkedEncryptedNotDecoded() {
        String greeting = GREETING_30.replace("4e554c4c00", "4355525645"); // CURVE
        RecordingListener events = decodeRaw(true, 1024, Hex.bytes(greeting,
                "040d 0548454c4c4f 0100 0000000000", // HELLO + 7 bytes
                "040d 074d455353414745 0000000000")); // MESSAGE + 5 bytes
        events.assertGreeting(3, 0, "CURVE", false)
                .assertCommand(new ZmtpCommand.CurveCommand("HELLO", 7))
                .assertCommand(new ZmtpCommand.CurveCommand("MESSAGE", 5))
                .assertExhausted();
    }
}
