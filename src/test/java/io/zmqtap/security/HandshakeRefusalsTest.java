package io.zmqtap.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.endpoint.Notices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zeromq.ZCert;
import org.zeromq.ZMQ;

/** The monitor events JeroMQ 0.6.0 gives a CURVE or PLAIN client, fed by hand, and what is said and redialled. */
class HandshakeRefusalsTest {
    private static final String SERVER = "tcp://127.0.0.1:5556";
    private static final long SECOND = 1_000_000_000L;

    private final List<String> notices = new ArrayList<>();
    private final List<String> redialled = new ArrayList<>();
    private final Notices out = new Notices(notices::add);

    private HandshakeRefusals curve(List<String> endpoints) {
        return new HandshakeRefusals("backend", SocketSecurity.curveClient(new ZCert(), new ZCert()), endpoints, out,
                redialled::add);
    }

    private static ZMQ.Event event(int kind, Object value) {
        return new ZMQ.Event(kind, value, SERVER);
    }

    @Test
    void aRefusedCurveKeyIsReportedWithItsStatusAndRedialledAfterASecond() {
        HandshakeRefusals r = curve(List.of("tcp://localhost:5556"));
        r.event(event(ZMQ.EVENT_CONNECTED, null), 0);
        r.event(event(ZMQ.EVENT_HANDSHAKE_PROTOCOL, 3), 1);
        r.event(event(zmq.ZMQ.ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 400), 2);
        r.event(event(ZMQ.EVENT_DISCONNECTED, null), 3);
        assertThat(notices).singleElement().asString()
                .startsWith("backend: " + SERVER + " refused the CURVE key ")
                .endsWith(" (ZAP status 400: not allowed); dialling it again every 1 s");
        assertThat(r.refusals()).isEqualTo(1);

        r.tick(SECOND / 2);
        assertThat(redialled).isEmpty();
        r.tick(3 + SECOND);
        // the endpoint as connected: JeroMQ's events carry the resolved address
        assertThat(redialled).containsExactly("tcp://localhost:5556");
        assertThat(notices).hasSize(1); // the close after the refusal is not a second one
        r.tick(3 * SECOND);
        assertThat(redialled).hasSize(1);
    }

    @Test
    void aPlainServerThatClosesAndIsNotRedialledIsReportedAndRedialled() {
        HandshakeRefusals r = new HandshakeRefusals("backend", SocketSecurity.plainClient("alice:guess"),
                List.of(SERVER), out, redialled::add);
        r.event(event(ZMQ.EVENT_CONNECTED, null), 0);
        r.event(event(ZMQ.EVENT_HANDSHAKE_PROTOCOL, 3), 1);
        r.event(event(ZMQ.EVENT_DISCONNECTED, null), 2);
        r.tick(2 + SECOND);
        assertThat(notices).containsExactly("backend: " + SERVER + " closed the connection during the PLAIN "
                + "handshake (a wrong user name or password? a PLAIN server closes a client it refuses), and JeroMQ "
                + "does not dial it again; dialling it again every 1 s");
        assertThat(redialled).containsExactly(SERVER);
    }

    @Test
    void aServerThatKeepsClosingDuringTheCurveHandshakeIsReportedOnce() {
        HandshakeRefusals r = curve(List.of(SERVER));
        long t = 0;
        for (int i = 0; i < 6; i++) {
            r.event(event(ZMQ.EVENT_CONNECTED, null), t);
            r.event(event(ZMQ.EVENT_DISCONNECTED, null), t + 1_000);
            r.event(event(ZMQ.EVENT_CONNECT_RETRIED, 100), t + 2_000); // JeroMQ redials by itself
            r.tick(t + 3_000);
            t += SECOND / 10;
        }
        assertThat(notices).containsExactly("backend: " + SERVER + " closed 3 connections in a row during the CURVE "
                + "handshake (a wrong server public key, or a server without CURVE?)");
        assertThat(redialled).isEmpty();
    }

    @Test
    void aServerThatGoesAwayAndIsRedialledByJeromqIsNoRefusal() {
        HandshakeRefusals r = curve(List.of(SERVER));
        r.event(event(ZMQ.EVENT_CONNECTED, null), 0);
        r.event(event(ZMQ.EVENT_DISCONNECTED, null), 60 * SECOND);
        r.event(event(ZMQ.EVENT_CONNECT_RETRIED, 100), 60 * SECOND + 100);
        r.tick(70 * SECOND);
        assertThat(notices).isEmpty();
        assertThat(redialled).isEmpty();
        assertThat(r.refusals()).isZero();
    }

    @Test
    void aLongConnectionJeromqGivesUpOnIsRedialledWithoutAHandshakeHint() {
        HandshakeRefusals r = curve(List.of(SERVER));
        r.event(event(ZMQ.EVENT_CONNECTED, null), 0);
        r.event(event(ZMQ.EVENT_DISCONNECTED, null), 60 * SECOND);
        r.tick(62 * SECOND);
        assertThat(notices).containsExactly("backend: " + SERVER + " closed the connection, and JeroMQ does not dial "
                + "it again; dialling it again every 1 s");
        assertThat(redialled).containsExactly(SERVER);
    }

    @Test
    void theConnectedEndpointIsFoundByItsResolvedAddress() {
        HandshakeRefusals r = curve(List.of("tcp://10.9.9.9:1", "tcp://localhost:5556"));
        assertThat(r.endpointOf("tcp://127.0.0.1:5556")).isEqualTo("tcp://localhost:5556");
        assertThat(r.endpointOf("tcp://10.9.9.9:1")).isEqualTo("tcp://10.9.9.9:1");
        assertThat(r.endpointOf("tcp://127.0.0.1:7")).isNull();
    }
}
