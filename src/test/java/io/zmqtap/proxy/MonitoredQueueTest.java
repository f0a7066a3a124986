package io.zmqtap.proxy;

import io.zmqtap.feed.CaptureFormat;
import static io.zmqtap.proxy.Wire.receive;
import static io.zmqtap.proxy.Wire.send;
import static io.zmqtap.proxy.Wire.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.ZmqTapException;
import io.zmqtap.endpoint.HandshakeWatchdog;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.sink.JsonSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

class MonitoredQueueTest {
    private final Wire wire = new Wire();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        wire.close();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    private DoublingServer server() {
        return closeLater(DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter())));
    }

    /** A ROUTER/DEALER queue in front of {@code server}, forwarding with {@code engine}. */
    private MonitoredQueue.Builder queueTo(DoublingServer server, MonitoredQueue.Engine engine) {
        return MonitoredQueue.builder()
                .engine(engine)
                .frontend("@tcp://127.0.0.1:*")
                .backend(">" + Wire.address(server.endpoints()));
    }

    private ZMQ.Socket subscriber(MonitoredQueue queue) throws InterruptedException {
        return wire.subscriber(queue);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void requestsAndRepliesAreForwardedAndCapturedInPyzmqFormat(MonitoredQueue.Engine engine) throws Exception {
        MonitoredQueue queue = closeLater(queueTo(server(), engine).capture("@tcp://127.0.0.1:*").start());
        assertThat(queue.engine()).isEqualTo(engine);
        ZMQ.Socket sub = subscriber(queue);
        ZMQ.Socket req = wire.socket(SocketType.REQ);
        req.setIdentity("client_id_abc".getBytes(StandardCharsets.UTF_8));
        Wire.connect(req, Wire.address(queue.frontendEndpoints()));

        send(req, "3");
        assertThat(strings(receive(req))).containsExactly("6");
        assertThat(strings(receive(sub))).containsExactly("in", "client_id_abc", "", "3");
        assertThat(strings(receive(sub))).containsExactly("out", "client_id_abc", "", "6");

        await().until(() -> queue.statistics().captured() == 2);
        ProxyStatistics s = queue.statistics();
        assertThat(s.frontend()).isEqualTo(new SocketStatistics(1, 14, 1, 14));
        assertThat(s.backend()).isEqualTo(new SocketStatistics(1, 14, 1, 14));
        assertThat(s.captured()).isEqualTo(2);
        assertThat(s.captureDropped()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void clientsWithoutIdentityGetFiveByteRoutingIdsTheyAreToldApartBy(MonitoredQueue.Engine engine) throws Exception {
        MonitoredQueue queue = closeLater(queueTo(server(), engine).capture("@tcp://127.0.0.1:*").start());
        ZMQ.Socket sub = subscriber(queue);
        ZMQ.Socket a = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        ZMQ.Socket b = wire.connect(SocketType.REQ, queue.frontendEndpoints());

        send(a, "1");
        assertThat(strings(receive(a))).containsExactly("2");
        send(b, "2");
        assertThat(strings(receive(b))).containsExactly("4");

        List<List<byte[]>> feed = List.of(receive(sub), receive(sub), receive(sub), receive(sub));
        byte[] idA = feed.get(0).get(1);
        byte[] idB = feed.get(2).get(1);
        assertThat(idA).hasSize(5).startsWith(0);
        assertThat(idB).hasSize(5).startsWith(0).isNotEqualTo(idA);
        assertThat(feed.get(1).get(1)).isEqualTo(idA);
        assertThat(feed.get(3).get(1)).isEqualTo(idB);
        assertThat(strings(feed.get(1))).endsWith("", "2");
        assertThat(strings(feed.get(3))).endsWith("", "4");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void perClientCountsAreKeptByRoutingId(MonitoredQueue.Engine engine) throws Exception {
        MonitoredQueue queue = closeLater(queueTo(server(), engine).start());
        // One socket per identity: a ROUTER refuses a second connection claiming an identity in use.
        for (String id : List.of("a", "b")) {
            ZMQ.Socket req = wire.socket(SocketType.REQ);
            req.setIdentity(id.getBytes(StandardCharsets.UTF_8));
            Wire.connect(req, Wire.address(queue.frontendEndpoints()));
            for (int i = 0; i < (id.equals("a") ? 1 : 2); i++) {
                send(req, "1");
                receive(req);
            }
        }
        await().untilAsserted(() -> assertThat(queue.peerStatistics()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "a", new SocketStatistics(1, 2, 1, 2),
                "b", new SocketStatistics(2, 4, 2, 4))));
    }

    @Test
    void queueEmbeddedInTheServerProcessReachesItOverInproc() throws Exception {
        // The second production variant: the queue runs as a thread of the server, sharing its context.
        try (ZContext serverContext = new ZContext(1)) {
            ZMQ.Socket rep = serverContext.createSocket(SocketType.REP);
            rep.setReceiveTimeOut(Wire.TIMEOUT_MS);
            rep.bind("inproc://server");
            MonitoredQueue queue = MonitoredQueue.builder()
                    .context(serverContext)
                    .frontend("@tcp://127.0.0.1:*")
                    .backend(">inproc://server")
                    .start();
            try {
                ZMQ.Socket req = wire.connect(SocketType.REQ, queue.frontendEndpoints());
                for (int i = 0; i < 5; i++) {
                    send(req, Integer.toString(i));
                    assertThat(rep.recvStr()).isEqualTo(Integer.toString(i));
                    rep.send(Integer.toString(2 * i));
                    assertThat(strings(receive(req))).containsExactly(Integer.toString(2 * i));
                }
                assertThat(queue.statistics().frontend().messagesIn()).isEqualTo(5);
                // the reply can reach the client a moment before the queue counts it as sent
                await().untilAsserted(() -> assertThat(queue.statistics().frontend().messagesOut()).isEqualTo(5));
            } finally {
                queue.close();
            }
            assertThat(queue.isRunning()).isFalse();
            // The server's context is still usable: the queue did not close it.
            assertThat(serverContext.isClosed()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}: {1} requests in flight, busy-poll {2} us")
    @CsvSource({
        "JEROMQ, 1000, 100", "JEROMQ, 5000, 100", "JEROMQ, 1000, 0",
        "WIRE, 1000, 100", "WIRE, 5000, 100", "WIRE, 1000, 0"})
    void pipelinedDealerGetsEveryReply(MonitoredQueue.Engine engine, int window, long busyPollMicros) throws Exception {
        DoublingServer server = server();
        MonitoredQueue queue = closeLater(queueTo(server, engine).capture("@tcp://127.0.0.1:*")
                .busyPoll(Duration.ofNanos(busyPollMicros * 1000)).start());
        ZMQ.Socket dealer = wire.socket(SocketType.DEALER);
        dealer.setSndHWM(window * 2);
        dealer.setRcvHWM(window * 2);
        Wire.connect(dealer, Wire.address(queue.frontendEndpoints()));
        for (int i = 0; i < window; i++) {
            send(dealer, "", Integer.toString(i));
        }
        Set<String> replies = new HashSet<>();
        for (int i = 0; i < window; i++) {
            List<String> reply = strings(receive(dealer));
            assertThat(reply).hasSize(2);
            replies.add(reply.get(1));
        }
        assertThat(replies).hasSize(window).contains("0", Integer.toString(2 * (window - 1)));
        assertThat(server.served()).isEqualTo(window);
        await().until(() -> queue.statistics().frontend().messagesOut() == window);
        assertThat(queue.statistics().undeliverable()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void aFullClientQueueHoldsRepliesInsteadOfDroppingThem(MonitoredQueue.Engine engine) throws Exception {
        // Tiny high-water marks make the ROUTER refuse replies (ROUTER_MANDATORY): the queue must wait, not drop.
        // (The wire engine has no high-water marks: it stops reading the server while a client's output is full.)
        MonitoredQueue queue = closeLater(queueTo(server(), engine).hwm(5).start());
        ZMQ.Socket dealer = wire.socket(SocketType.DEALER);
        dealer.setRcvHWM(5);
        Wire.connect(dealer, Wire.address(queue.frontendEndpoints()));
        int n = 1000;
        int received = 0;
        int sent = 0;
        ZMQ.Poller poller = wire.context.createPoller(1);
        poller.register(dealer, ZMQ.Poller.POLLIN);
        while (received < n) {
            if (sent < n) {
                send(dealer, "", Integer.toString(sent++));
            }
            // read replies only now and then, so replies pile up behind the client's small queue
            if (sent == n || sent % 50 == 0) {
                while (received < n) {
                    if (poller.poll(sent == n ? Wire.TIMEOUT_MS : 0) == 0) {
                        break;
                    }
                    receive(dealer);
                    received++;
                }
                assertThat(received == n || sent < n).as("replies stopped at %d of %d", received, n).isTrue();
            }
        }
        await().until(() -> queue.statistics().frontend().messagesOut() == n);
        assertThat(queue.statistics().undeliverable()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void aStalledSubscriberCostsCaptureMessagesNeverProxiedOnes(MonitoredQueue.Engine engine) throws Exception {
        MonitoredQueue queue = closeLater(queueTo(server(), engine).capture("@tcp://127.0.0.1:*").captureHwm(10).start());
        wire.subscriber(queue, 10); // subscribed, then never read

        ZMQ.Socket req = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        String big = "7".repeat(64 * 1024); // large messages fill the socket buffers of the stalled subscriber fast
        int n = 300;
        for (int i = 0; i < n; i++) {
            req.send(big);
            assertThat(receive(req)).as("reply %d", i).hasSize(1);
        }
        // the JeroMQ engine captures a reply after handing it over: the client may have it first
        ProxyStatistics s = await().until(queue::statistics, st -> st.captured() == 2L * n);
        assertThat(s.frontend().messagesOut()).isEqualTo(n);
        assertThat(s.captureDropped()).isPositive();
        // (a connection JeroMQ's connect race stalled, restarted by the watchdog, never subscribed)
        assertThat(s.subscribers()).filteredOn(sub -> sub.subscriptions() > 0).singleElement().satisfies(sub -> {
            assertThat(sub.dropped()).isEqualTo(s.captureDropped());
            assertThat(sub.queued() + sub.dropped()).isEqualTo(2L * n);
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void rawCaptureIsTheFramesOnlyAsLibzmqProxyWritesThem(MonitoredQueue.Engine engine) throws Exception {
        MonitoredQueue queue = closeLater(queueTo(server(), engine).capture("@tcp://127.0.0.1:*")
                .captureFormat(CaptureFormat.RAW).start());
        ZMQ.Socket sub = subscriber(queue);
        ZMQ.Socket req = wire.socket(SocketType.REQ);
        req.setIdentity("abc".getBytes(StandardCharsets.UTF_8));
        Wire.connect(req, Wire.address(queue.frontendEndpoints()));
        send(req, "3");
        receive(req);
        assertThat(strings(receive(sub))).containsExactly("abc", "", "3");
        assertThat(strings(receive(sub))).containsExactly("abc", "", "6");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void envelopeCaptureAddsMetadataWithSequenceDirectionAndTime(MonitoredQueue.Engine engine) throws Exception {
        MonitoredQueue queue = closeLater(queueTo(server(), engine).capture("@tcp://127.0.0.1:*")
                .captureFormat(CaptureFormat.ENVELOPE).prefixes("C2S", "S2C").start());
        ZMQ.Socket sub = subscriber(queue);
        ZMQ.Socket req = wire.socket(SocketType.REQ);
        req.setIdentity("abc".getBytes(StandardCharsets.UTF_8));
        Wire.connect(req, Wire.address(queue.frontendEndpoints()));
        long before = System.currentTimeMillis() * 1_000_000L;
        send(req, "3");
        receive(req);

        List<String> in = strings(receive(sub));
        List<String> out = strings(receive(sub));
        assertThat(in).hasSize(5);
        assertThat(in.get(0)).isEqualTo("C2S");
        assertThat(in.subList(2, 5)).containsExactly("abc", "", "3");
        assertThat(out.get(0)).isEqualTo("S2C");
        assertThat(out.subList(2, 5)).containsExactly("abc", "", "6");
        JsonNode meta = JsonSink.mapper().readTree(in.get(1));
        assertThat(meta.get("direction").asText()).isEqualTo("in");
        assertThat(meta.get("seq").asLong()).isEqualTo(1);
        assertThat(meta.get("dropped").asLong()).isZero();
        assertThat(meta.get("ts_ns").asLong()).isBetween(before - 1_000_000_000L, before + 60_000_000_000L);
        JsonNode outMeta = JsonSink.mapper().readTree(out.get(1));
        assertThat(outMeta.get("direction").asText()).isEqualTo("out");
        assertThat(outMeta.get("seq").asLong()).isEqualTo(2);
        assertThat(outMeta.get("ts_ns").asLong()).isGreaterThanOrEqualTo(meta.get("ts_ns").asLong());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void pushCaptureWithNoPeerCountsEveryCaptureAsDropped(MonitoredQueue.Engine engine) throws Exception {
        MonitoredQueue queue = closeLater(queueTo(server(), engine).capture("@tcp://127.0.0.1:*")
                .captureType(SocketType.PUSH).start());
        ZMQ.Socket req = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        for (int i = 0; i < 3; i++) {
            send(req, "1");
            receive(req);
        }
        await().untilAsserted(() -> assertThat(queue.statistics().captureDropped()).isEqualTo(6));
        assertThat(queue.statistics().captured()).as("made, then dropped").isEqualTo(6);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void controlSocketSpeaksLibzmqSteering(MonitoredQueue.Engine engine) throws Exception {
        MonitoredQueue queue = closeLater(queueTo(server(), engine).control("@tcp://127.0.0.1:*").start());
        ZMQ.Socket control = wire.connect(SocketType.REQ, queue.controlEndpoints());
        ZMQ.Socket req = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        send(req, "21");
        assertThat(strings(receive(req))).containsExactly("42");

        send(control, "STATISTICS");
        List<byte[]> stats = receive(control);
        assertThat(stats).hasSize(8).allSatisfy(f -> assertThat(f).hasSize(8));
        long[] v = stats.stream().mapToLong(f -> ByteBuffer.wrap(f).order(ByteOrder.nativeOrder()).getLong()).toArray();
        // frontend: 1 msg in ([id(5), "", "21"] = 7 B), 1 out ([id, "", "42"] = 7 B); backend the mirror
        assertThat(v).containsExactly(1, 7, 1, 7, 1, 7, 1, 7);

        send(control, "PAUSE");
        assertThat(strings(receive(control))).containsExactly("");
        assertThat(queue.isPaused()).isTrue();
        send(req, "5");
        ZMQ.Poller poller = wire.context.createPoller(1);
        poller.register(req, ZMQ.Poller.POLLIN);
        assertThat(poller.poll(300)).as("no reply while paused").isZero();

        send(control, "RESUME");
        assertThat(strings(receive(control))).containsExactly("");
        assertThat(strings(receive(req))).containsExactly("10");

        send(control, "STATISTICS JSON");
        JsonNode json = JsonSink.mapper().readTree(receive(control).get(0));
        // one statistics event of the JSON schema: counters, then clients and servers as peers
        assertThat(json.get("v").asInt()).isEqualTo(1);
        assertThat(json.get("type").asText()).isEqualTo("statistics");
        assertThat(json.get("source").asText()).isEqualTo(queue.source()).startsWith("tcp://127.0.0.1:");
        assertThat(json.at("/counters/frontend_messages_in").asLong()).isEqualTo(2);
        assertThat(json.at("/counters/backend_bytes_out").asLong()).isEqualTo(7 + 6); // [id, "", "21"], [id, "", "5"]
        assertThat(json.at("/counters/paused").asLong()).isZero();
        List<JsonNode> peers = new ArrayList<>();
        json.get("peers").forEach(peers::add);
        assertThat(peers).filteredOn(p -> p.get("role").asText().equals("client")).singleElement()
                .satisfies(p -> {
                    assertThat(p.get("identity").asText()).matches("0x00[0-9a-f]{8}");
                    assertThat(p.get("messages_in").asLong()).isEqualTo(2);
                    assertThat(p.get("messages_out").asLong()).isEqualTo(2);
                });
        if (engine == MonitoredQueue.Engine.WIRE) {
            assertThat(peers).filteredOn(p -> p.get("role").asText().equals("server")).singleElement()
                    .satisfies(p -> {
                        assertThat(p.get("messages_in").asLong()).as("requests").isEqualTo(2);
                        assertThat(p.get("in_flight").asLong()).isZero();
                    });
        }

        send(control, "BOGUS");
        assertThat(strings(receive(control)).get(0)).startsWith("ERROR unknown command 'BOGUS'");

        send(control, "TERMINATE");
        assertThat(strings(receive(control))).containsExactly("");
        assertThat(queue.awaitTermination(Duration.ofSeconds(5))).isTrue();
        assertThat(queue.failure()).isNull();
    }

    @Test
    void streamerForwardsPushToPullAndCapturesIt() throws Exception {
        ZMQ.Socket sink = wire.bind(SocketType.PULL);
        MonitoredQueue queue = closeLater(MonitoredQueue.builder()
                .frontend("@tcp://127.0.0.1:*").frontendType(SocketType.PULL)
                .backend(">" + sink.getLastEndpoint()).backendType(SocketType.PUSH)
                .capture("@tcp://127.0.0.1:*").start());
        ZMQ.Socket sub = subscriber(queue);
        ZMQ.Socket push = wire.connect(SocketType.PUSH, queue.frontendEndpoints());
        send(push, "job", "1");
        assertThat(strings(receive(sink))).containsExactly("job", "1");
        assertThat(strings(receive(sub))).containsExactly("in", "job", "1");
    }

    @Test
    void pairProxyForwardsBothWays() throws Exception {
        ZMQ.Socket right = wire.bind(SocketType.PAIR);
        MonitoredQueue queue = closeLater(MonitoredQueue.builder()
                .frontend("@tcp://127.0.0.1:*").frontendType(SocketType.PAIR)
                .backend(">" + right.getLastEndpoint()).backendType(SocketType.PAIR)
                .capture("@tcp://127.0.0.1:*").start());
        ZMQ.Socket sub = subscriber(queue);
        ZMQ.Socket left = wire.connect(SocketType.PAIR, queue.frontendEndpoints());
        send(left, "ping");
        assertThat(strings(receive(right))).containsExactly("ping");
        send(right, "pong");
        assertThat(strings(receive(left))).containsExactly("pong");
        assertThat(strings(receive(sub))).containsExactly("in", "ping");
        assertThat(strings(receive(sub))).containsExactly("out", "pong");
    }

    @Test
    void forwarderCarriesSubscriptionsUpstreamAndShowsThemInTheCapture() throws Exception {
        MonitoredQueue queue = closeLater(MonitoredQueue.builder()
                .frontend("@tcp://127.0.0.1:*").frontendType(SocketType.XSUB)
                .backend("@tcp://127.0.0.1:*").backendType(SocketType.XPUB)
                .capture("@tcp://127.0.0.1:*").start());
        ZMQ.Socket capture = subscriber(queue);
        ZMQ.Socket pub = wire.connect(SocketType.PUB, queue.frontendEndpoints());
        ZMQ.Socket sub = wire.socket(SocketType.SUB);
        sub.subscribe("weather".getBytes(StandardCharsets.UTF_8));
        HandshakeWatchdog watchdog = HandshakeWatchdog.watch(wire.context, sub, Sockets.WATCHDOG_STALL_MS);
        Wire.connect(sub, Wire.address(queue.backendEndpoints()));

        ZMQ.Poller subscribed = wire.context.createPoller(1);
        subscribed.register(capture, ZMQ.Poller.POLLIN);
        for (int i = 0; subscribed.poll(50) == 0; i++) {
            watchdog.check();
            assertThat(i).as("subscription forwarded within 5 s").isLessThan(100);
        }
        List<String> subscription = strings(receive(capture));
        assertThat(subscription).containsExactly("out", "\u0001weather");
        // The subscription has reached the publisher once the proxy forwarded it; publish until one arrives.
        ZMQ.Poller poller = wire.context.createPoller(1);
        poller.register(sub, ZMQ.Poller.POLLIN);
        int tries = 0;
        do {
            send(pub, "sports", "ignored");
            send(pub, "weather", "sunny");
            watchdog.check();
            assertThat(++tries).as("publications sent before one arrived").isLessThan(100);
        } while (poller.poll(50) == 0);
        assertThat(strings(receive(sub))).containsExactly("weather", "sunny");
        assertThat(strings(receive(capture)).get(0)).isEqualTo("in");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void aPortInUseFailsAtStartWithOneLine(MonitoredQueue.Engine engine) {
        MonitoredQueue first = closeLater(MonitoredQueue.builder().engine(engine).frontend("@tcp://127.0.0.1:*")
                .backend(">tcp://127.0.0.1:1").start());
        assertThat(first.engine()).isEqualTo(engine);
        String taken = first.frontendEndpoints().get(0);
        assertThatThrownBy(() -> MonitoredQueue.builder().engine(engine).frontend(taken)
                .backend(">tcp://127.0.0.1:1").start())
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("cannot bind frontend to " + taken.substring(1) + ": address already in use");
    }
}
