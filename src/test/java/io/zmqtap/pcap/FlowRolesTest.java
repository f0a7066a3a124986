package io.zmqtap.pcap;

import io.zmqtap.testing.ZmtpBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Which end of a flow without a SYN is the server, and whether first bytes are a ZMTP greeting. */
class FlowRolesTest {
    private static final BitSet NONE = new BitSet();

    @Test
    void theSignatureIsReadFromAsFewBytesAsThereAre() {
        byte[] greeting = new ZmtpBytes().greeting(1).bytes();
        assertThat(FlowRoles.signature(greeting, 0)).isEqualTo(FlowRoles.Signature.UNKNOWN);
        assertThat(FlowRoles.signature(greeting, 1)).isEqualTo(FlowRoles.Signature.MAYBE);
        assertThat(FlowRoles.signature(greeting, 10)).isEqualTo(FlowRoles.Signature.GREETING);
        assertThat(FlowRoles.signature(ZmtpBytes.ascii("GET / HTTP/1.1"), 14)).isEqualTo(FlowRoles.Signature.NOT_ZMTP);
        assertThat(FlowRoles.signature(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7e}, 10))
                .isEqualTo(FlowRoles.Signature.NOT_ZMTP);
    }

    @Test
    void onlyAPlainOrCurveGreetingSaysWhoIsTheServer() {
        byte[] nullGreeting = new ZmtpBytes().greeting(1).bytes();
        byte[] plainServer = new ZmtpBytes().greeting(1, "PLAIN", true).bytes();
        byte[] curveClient = new ZmtpBytes().greeting(0, "CURVE", false).bytes();
        assertThat(FlowRoles.asServer(nullGreeting, 64)).isEqualTo(FlowRoles.NOTHING);
        assertThat(FlowRoles.asServer(plainServer, 32)).isEqualTo(FlowRoles.STILL_READING);
        assertThat(FlowRoles.asServer(plainServer, 33)).isEqualTo(FlowRoles.SERVER);
        assertThat(FlowRoles.asServer(curveClient, 64)).isEqualTo(FlowRoles.CLIENT);
        assertThat(FlowRoles.asServer(ZmtpBytes.ascii("hello"), 5)).isEqualTo(FlowRoles.NOTHING);
    }

    @Test
    void theServerPortGivenComesFirstThenAZeroMqPortThenTheGreetingThenTheLowerPort() {
        BitSet zmq = new BitSet();
        zmq.set(7000);
        assertThat(FlowRoles.server(5000, 40000, 40000, zmq, FlowRoles.SERVER, FlowRoles.NOTHING, false))
                .isEqualTo(new FlowRoles.Choice(false, "the server port given"));
        assertThat(FlowRoles.server(7000, 40000, 0, zmq, FlowRoles.CLIENT, FlowRoles.NOTHING, false))
                .isEqualTo(new FlowRoles.Choice(true, "the ZeroMQ port given"));
        assertThat(FlowRoles.server(5000, 40000, 0, NONE, FlowRoles.NOTHING, FlowRoles.SERVER, false))
                .isEqualTo(new FlowRoles.Choice(false, "its greeting's as-server flag"));
        assertThat(FlowRoles.server(5000, 40000, 0, NONE, FlowRoles.NOTHING, FlowRoles.NOTHING, false))
                .isEqualTo(new FlowRoles.Choice(true, "the lower port"));
        assertThat(FlowRoles.server(5555, 5555, 0, NONE, FlowRoles.NOTHING, FlowRoles.NOTHING, false))
                .as("equal ports: the end the first segment went to").isEqualTo(new FlowRoles.Choice(false, "the lower port"));
    }

    @Test
    void itWaitsForTheAsServerByteUnlessForced() {
        assertThat(FlowRoles.server(5000, 40000, 0, NONE, FlowRoles.STILL_READING, FlowRoles.NOTHING, false)).isNull();
        assertThat(FlowRoles.server(5000, 40000, 0, NONE, FlowRoles.STILL_READING, FlowRoles.NOTHING, true))
                .isEqualTo(new FlowRoles.Choice(true, "the lower port"));
    }
}
