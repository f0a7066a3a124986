package io.zmqtap.proxy;

import static io.zmqtap.proxy.Wire.receive;
import static io.zmqtap.proxy.Wire.send;
import static io.zmqtap.proxy.Wire.strings;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.sink.JsonSink;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import zmq.io.Metadata;

/**
 * zmqtap's REP control socket is a ROUTER that behaves as a REP and names itself, so that a client
 * can tell it from libzmq's {@code zmq_proxy_steerable} before sending it zmqtap's own commands.
 */
class SteeringTest {
    private final Wire wire = new Wire();
    private MonitoredQueue queue;

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.close();
        }
        wire.close();
    }

    private MonitoredQueue queueWithControl(MonitoredQueue.Engine engine) {
        queue = MonitoredQueue.builder().engine(engine)
                .frontend("@tcp://127.0.0.1:*").backend("@tcp://127.0.0.1:*")
                .control("@tcp://127.0.0.1:*").start();
        return queue;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void everyReplyCarriesZmqtapsRoutingIdInItsMetadata(MonitoredQueue.Engine engine) {
        ZMQ.Socket req = wire.connect(SocketType.REQ, queueWithControl(engine).controlEndpoints());
        send(req, "STATISTICS");
        zmq.Msg first = req.recvMsg(0);
        assertThat(first).as("a reply within %d ms", Wire.TIMEOUT_MS).isNotNull();
        assertThat(first.getMetadata().get(Metadata.IDENTITY)).isEqualTo(Steering.ROUTING_ID).isEqualTo("zmqtap-control");
        assertThat(first.getMetadata().get(Metadata.SOCKET_TYPE)).isEqualTo("ROUTER");
        int frames = 1;
        while (req.hasReceiveMore()) {
            req.recv();
            frames++;
        }
        assertThat(frames).isEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void aDealerGetsItsWholeEnvelopeBackAsFromARep(MonitoredQueue.Engine engine) throws Exception {
        ZMQ.Socket dealer = wire.connect(SocketType.DEALER, queueWithControl(engine).controlEndpoints());
        // no delimiter: a REP drops the message, and so does zmqtap's control socket
        send(dealer, "PAUSE");
        // two routing frames before the delimiter, as a request that came through a ROUTER/DEALER hop
        sendFrames(dealer, "hop-1", "hop-2", "", "STATISTICS JSON", "ignored");
        List<String> reply = strings(receive(dealer));
        assertThat(reply).hasSize(4).startsWith("hop-1", "hop-2", "");
        assertThat(JsonSink.mapper().readTree(reply.get(3)).at("/counters/paused").asLong())
                .as("PAUSE without an envelope was dropped").isZero();
        sendFrames(dealer, "", "BOGUS");
        assertThat(strings(receive(dealer))).hasSize(2).first().isEqualTo("");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void aPairControlSocketStaysAPairWithoutAName(MonitoredQueue.Engine engine) {
        queue = MonitoredQueue.builder().engine(engine)
                .frontend("@tcp://127.0.0.1:*").backend("@tcp://127.0.0.1:*")
                .control("@tcp://127.0.0.1:*").controlType(SocketType.PAIR).start();
        ZMQ.Socket pair = wire.connect(SocketType.PAIR, queue.controlEndpoints());
        send(pair, "STATISTICS");
        zmq.Msg first = pair.recvMsg(0);
        assertThat(first).isNotNull();
        assertThat(first.getMetadata().get(Metadata.SOCKET_TYPE)).isEqualTo("PAIR");
        assertThat(first.getMetadata().get(Metadata.IDENTITY)).isNull();
    }

    private static void sendFrames(ZMQ.Socket socket, String... frames) {
        List<String> list = List.of(frames);
        for (int i = 0; i < list.size(); i++) {
            socket.send(list.get(i).getBytes(StandardCharsets.UTF_8), i < list.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }
}
