package io.zmqtap.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.ZmqTapException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;

class EndpointTest {
    @Test
    void atMeansBindAndGreaterThanMeansConnect() {
        assertThat(Endpoint.parse("@tcp://*:4444")).isEqualTo(new Endpoint(true, "tcp://*:4444"));
        assertThat(Endpoint.parse(">tcp://localhost:5555")).isEqualTo(new Endpoint(false, "tcp://localhost:5555"));
        assertThat(Endpoint.parse("@tcp://127.0.0.1:5555").bind()).isTrue();
        assertThat(Endpoint.parse(">inproc://backend").bind()).isFalse();
    }

    @Test
    void withoutPrefixAStarHostBindsAndAnyOtherHostConnects() {
        assertThat(Endpoint.parse("tcp://*:4444").bind()).isTrue();
        assertThat(Endpoint.parse("tcp://localhost:5555").bind()).isFalse();
        assertThat(Endpoint.parse("tcp://127.0.0.1:5555").bind()).isFalse();
        assertThat(Endpoint.parse("inproc://x").bind()).isFalse();
    }

    @Test
    void toStringWritesTheExplicitPrefix() {
        assertThat(Endpoint.parse("tcp://*:4444")).hasToString("@tcp://*:4444");
        assertThat(Endpoint.parse("tcp://localhost:5555")).hasToString(">tcp://localhost:5555");
    }

    @Test
    void ephemeralPortsAndIpv6AreAccepted() {
        assertThat(Endpoint.parse("@tcp://127.0.0.1:*").address()).isEqualTo("tcp://127.0.0.1:*");
        assertThat(Endpoint.parse("@tcp://127.0.0.1:0").bind()).isTrue();
        assertThat(Endpoint.parse(">tcp://[::1]:5555").address()).isEqualTo("tcp://[::1]:5555");
    }

    @Test
    void commaSeparatedListsParseEachEndpoint() {
        assertThat(Endpoint.parseList("@tcp://*:4444,>tcp://localhost:5555"))
                .containsExactly(new Endpoint(true, "tcp://*:4444"), new Endpoint(false, "tcp://localhost:5555"));
    }

    @Test
    void malformedEndpointsNameTheProblem() {
        assertThatThrownBy(() -> Endpoint.parse("tcp//localhost:5555"))
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("bad endpoint 'tcp//localhost:5555': expected transport://address, e.g. @tcp://*:4444");
        assertThatThrownBy(() -> Endpoint.parse("udp://localhost:5555"))
                .hasMessage("bad endpoint 'udp://localhost:5555': unsupported transport 'udp' (use tcp, ipc or inproc)");
        assertThatThrownBy(() -> Endpoint.parse("tcp://localhost:99999"))
                .hasMessage("bad endpoint 'tcp://localhost:99999': port '99999' is not a number from 0 to 65535 or *");
        assertThatThrownBy(() -> Endpoint.parse("tcp://localhost"))
                .hasMessage("bad endpoint 'tcp://localhost': expected tcp://host:port");
        assertThatThrownBy(() -> Endpoint.parse(">tcp://*:4444"))
                .hasMessage("bad endpoint '>tcp://*:4444': cannot connect to host * (did you mean @tcp://*:4444?)");
        assertThatThrownBy(() -> Endpoint.parse(" "))
                .hasMessage("empty endpoint: expected e.g. @tcp://*:4444 or >tcp://localhost:5555");
    }

    @Test
    void unknownSocketTypesListTheAllowedOnes() {
        assertThat(SocketTypes.parse("--mon-type", "push", Set.of(SocketType.PUB, SocketType.PUSH)))
                .isEqualTo(SocketType.PUSH);
        assertThatThrownBy(() -> SocketTypes.parse("--mon-type", "SUBB", Set.of(SocketType.PUB, SocketType.PUSH)))
                .hasMessage("unknown socket type 'SUBB' for --mon-type: expected one of PUB, PUSH");
    }
}
