package io.zmqtap.proxy;

import static io.zmqtap.proxy.Wire.receive;
import static io.zmqtap.proxy.Wire.send;
import static io.zmqtap.proxy.Wire.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zmqtap.event.Direction;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.testing.Closer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** Listeners registered through the library API see every message either engine forwards. */
class ForwardListenerTest {
    private final Wire wire = new Wire();
    private final Closer closer = new Closer();
    private final Queue<MessageEvent> messages = new ConcurrentLinkedQueue<>();
    private final Queue<NoticeEvent> notices = new ConcurrentLinkedQueue<>();

    /** Copies what it sees, as a listener handing events to another thread must. */
    private final ForwardListener recorder = new ForwardListener() {
        @Override
        public void forwarded(ForwardedMessage m) {
            messages.add(m.toEvent());
        }

        @Override
        public void notice(NoticeEvent n) {
            notices.add(n);
        }
    };

    @AfterEach
    void closeAll() {
        closer.close();
        wire.close();
    }

    private String server() {
        DoublingServer server = closer.add(DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter())));
        return ">" + Wire.address(server.endpoints());
    }

    private static List<String> texts(MessageEvent m) {
        return m.frames().stream().map(f -> new String(f.data(), StandardCharsets.UTF_8)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void aListenerSeesEveryMessageWithItsRoutingIdSeqAndDirectionBesideTheCaptureFeed(MonitoredQueue.Engine engine)
            throws Exception {
        MonitoredQueue queue = closer.add(MonitoredQueue.builder().engine(engine)
                .frontend("@tcp://127.0.0.1:*").backend(server()).capture("@tcp://127.0.0.1:*")
                .listener(recorder).start());
        ZMQ.Socket sub = wire.subscriber(queue);
        ZMQ.Socket req = wire.socket(SocketType.REQ);
        req.setIdentity("client_a".getBytes(StandardCharsets.UTF_8));
        Wire.connect(req, Wire.address(queue.frontendEndpoints()));
        for (int i = 1; i <= 3; i++) {
            send(req, Integer.toString(i));
            assertThat(strings(receive(req))).containsExactly(Integer.toString(2 * i));
        }

        await().until(() -> messages.size() == 6);
        List<MessageEvent> seen = List.copyOf(messages);
        for (int i = 0; i < 6; i++) {
            MessageEvent m = seen.get(i);
            assertThat(m.seq()).isEqualTo(i + 1);
            assertThat(m.direction()).isEqualTo(i % 2 == 0 ? Direction.IN : Direction.OUT);
            assertThat(m.source()).isEqualTo(queue.source()).startsWith("tcp://127.0.0.1:");
            assertThat(m.conn()).isNull();
            assertThat(m.routed()).isTrue();
            assertThat(m.identity().text()).isEqualTo("client_a");
        }
        assertThat(texts(seen.get(0))).containsExactly("client_a", "", "1");
        assertThat(texts(seen.get(5))).containsExactly("client_a", "", "6");
        // the capture feed, one listener among others, still gets the same messages
        for (int i = 1; i <= 3; i++) {
            assertThat(strings(receive(sub))).containsExactly("in", "client_a", "", Integer.toString(i));
            assertThat(strings(receive(sub))).containsExactly("out", "client_a", "", Integer.toString(2 * i));
        }
        assertThat(queue.statistics().captured()).isEqualTo(6);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void aListenerThatThrowsIsRemovedWithANoticeAndForwardingGoesOn(MonitoredQueue.Engine engine) throws Exception {
        MonitoredQueue queue = closer.add(MonitoredQueue.builder().engine(engine)
                .frontend("@tcp://127.0.0.1:*").backend(server())
                .listener(new ForwardListener() {
                    @Override
                    public void forwarded(ForwardedMessage m) {
                        throw new IllegalStateException("broken on purpose");
                    }

                    @Override
                    public String toString() {
                        return "broken";
                    }
                })
                .listener(recorder).start());
        ZMQ.Socket req = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        for (int i = 1; i <= 2; i++) {
            send(req, Integer.toString(i));
            assertThat(strings(receive(req))).containsExactly(Integer.toString(2 * i));
        }
        await().until(() -> messages.size() == 4);
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.level()).isEqualTo(NoticeEvent.Level.WARNING);
            assertThat(n.source()).isEqualTo(queue.source());
            assertThat(n.text()).isEqualTo("listener broken failed and was removed: IllegalStateException: broken on purpose");
        });
    }

    @Test
    void aStreamersMessagesAreNotRoutedAndCarryTheirFramesAsSent() throws Exception {
        ZMQ.Socket pull = wire.bind(SocketType.PULL);
        MonitoredQueue queue = closer.add(MonitoredQueue.builder()
                .frontend("@tcp://127.0.0.1:*").frontendType(SocketType.PULL)
                .backend(">" + pull.getLastEndpoint()).backendType(SocketType.PUSH)
                .listener(recorder).start());
        ZMQ.Socket push = wire.connect(SocketType.PUSH, queue.frontendEndpoints());
        send(push, "a", "b");
        assertThat(strings(receive(pull))).containsExactly("a", "b");
        await().until(() -> messages.size() == 1);
        MessageEvent m = messages.peek();
        assertThat(m.routed()).isFalse();
        assertThat(m.identity()).isNull();
        assertThat(texts(m)).containsExactly("a", "b");
        assertThat(m.direction()).isEqualTo(Direction.IN);
    }

    @Test
    void aLostServerIsANoticeEventForListeners() throws Exception {
        DoublingServer server = DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter()));
        MonitoredQueue queue = closer.add(MonitoredQueue.builder().engine(MonitoredQueue.Engine.WIRE)
                .frontend("@tcp://127.0.0.1:*").backend(">" + Wire.address(server.endpoints()))
                .listener(recorder).start());
        ZMQ.Socket req = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        send(req, "1");
        assertThat(strings(receive(req))).containsExactly("2");
        server.close();
        await().until(() -> !notices.isEmpty());
        assertThat(notices.peek().text()).startsWith("backend: lost REP server 127.0.0.1:");
    }
}
