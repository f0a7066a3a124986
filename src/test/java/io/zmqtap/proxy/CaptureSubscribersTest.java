package io.zmqtap.proxy;

import static io.zmqtap.proxy.RawZmtp.concat;
import static io.zmqtap.proxy.RawZmtp.frame;
import static io.zmqtap.proxy.RawZmtp.readyAs;
import static io.zmqtap.proxy.Wire.receive;
import static io.zmqtap.proxy.Wire.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.endpoint.HandshakeWatchdog;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.event.EventJson;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.proxy.RawZmtp.RawPeer;
import io.zmqtap.testing.Closer;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * Each capture subscriber has its own bounded queue: one that stops reading loses only its own
 * captures, counted against it, while a healthy one gets every capture and forwarding goes on.
 * (With JeroMQ's XPUB_NODROP one full subscriber failed the send for everyone: a healthy sniffer got
 * 110,000 of 200,000.)
 */
class CaptureSubscribersTest {
    private final Wire wire = new Wire();
    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() {
        closer.close();
        wire.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void aStalledSubscriberLosesOnlyItsOwnCapturesAndAHealthyOneGetsThemAll(MonitoredQueue.Engine engine)
            throws Exception {
        DoublingServer server = closer.add(DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter())));
        MonitoredQueue queue = closer.add(MonitoredQueue.builder().engine(engine).frontend("@tcp://127.0.0.1:*")
                .backend(">" + Wire.address(server.endpoints())).capture("@tcp://127.0.0.1:*")
                // 4 MiB per subscriber: the stalled one overflows soon, a healthy one only if it lagged that far
                .maxMemory(32L << 20).start());

        // the stalled one: subscribes to everything, then never reads (and has a small receive buffer)
        RawPeer stalled = closer.add(new RawPeer(HostilePeersTest.port(queue.captureEndpoints()), 4096));
        stalled.send(concat(ZmtpEncoder.greeting(), readyAs("SUB"), frame(false, new byte[] {1})));
        await().until(() -> queue.statistics().subscribers().stream().anyMatch(s -> s.subscriptions() == 1));

        // the stalled one is a subscriber already: wait for this one's own subscription, or the first
        // captures can go out before it is in (seen once under load), and keep its watchdog going
        // meanwhile, or a JeroMQ greeting stall leaves it unsubscribed for good (seen once in CI)
        ZMQ.Socket healthy = wire.subscriber(queue, 100_000,
                () -> queue.statistics().subscribers().stream().filter(v -> v.subscriptions() > 0).count() == 2);
        AtomicLong healthySeen = new AtomicLong();
        Thread reader = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted() && healthy.recv() != null) {
                if (!healthy.hasReceiveMore()) {
                    healthySeen.incrementAndGet();
                }
            }
        }, "capture-test-healthy");
        reader.setDaemon(true);
        reader.start();

        ZMQ.Socket req = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        String big = "7".repeat(48 * 1024); // 29 MB of captures: far more than the stalled subscriber's buffers hold
        int n = 300;
        for (int i = 0; i < n; i++) {
            req.send(big + i);
            assertThat(receive(req)).as("reply %d", i).hasSize(1);
        }
        await().untilAsserted(() -> assertThat(healthySeen.get())
                .as(() -> "captures the healthy subscriber saw; the queue: " + queue.statistics()).isEqualTo(2L * n));
        ProxyStatistics s = await().until(queue::statistics, st -> st.captured() == 2L * n);
        reader.interrupt();

        assertThat(s.frontend().messagesOut()).as("every reply forwarded").isEqualTo(n);
        List<SubscriberStatistics> subs = s.subscribers().stream().filter(v -> v.subscriptions() > 0).toList();
        assertThat(subs).hasSize(2);
        SubscriberStatistics stalledStats = subs.stream().filter(v -> v.address().endsWith(":" + stalled.localPort()))
                .findFirst().orElseThrow();
        assertThat(stalledStats.dropped()).as("the stalled subscriber's own losses").isPositive();
        assertThat(stalledStats.queued() + stalledStats.dropped()).isEqualTo(2L * n);
        SubscriberStatistics healthyStats = subs.stream().filter(v -> v != stalledStats).findFirst().orElseThrow();
        assertThat(healthyStats.dropped()).isZero();
        assertThat(healthyStats.queued()).isEqualTo(2L * n);
        assertThat(s.captureDropped()).isEqualTo(stalledStats.dropped());
        assertThat(s.summary()).contains("capture dropped " + stalledStats.dropped() + " (")
                .contains(stalledStats.address() + " " + stalledStats.dropped() + " of " + 2L * n);
        JsonNode json = EventJson.toJson(s.toEvent(queue.source(), Duration.ofSeconds(1), false));
        assertThat(json.path("counters").path("capture_dropped").asLong()).isEqualTo(stalledStats.dropped());
        assertThat(json.path("peers").findValues("dropped").stream().map(JsonNode::asLong))
                .as("per subscriber").contains(stalledStats.dropped());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void aSubscriberGetsOnlyWhatItSubscribedTo(MonitoredQueue.Engine engine) throws Exception {
        DoublingServer server = closer.add(DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter())));
        MonitoredQueue queue = closer.add(MonitoredQueue.builder().engine(engine).frontend("@tcp://127.0.0.1:*")
                .backend(">" + Wire.address(server.endpoints())).capture("@tcp://127.0.0.1:*").start());
        ZMQ.Socket outOnly = wire.socket(SocketType.SUB);
        outOnly.subscribe("out".getBytes(StandardCharsets.US_ASCII));
        HandshakeWatchdog watchdog = HandshakeWatchdog.watch(wire.context, outOnly, Sockets.WATCHDOG_STALL_MS);
        Wire.connect(outOnly, Wire.address(queue.captureEndpoints()));
        await().until(() -> watchdog.check() >= 0
                && queue.statistics().subscribers().stream().anyMatch(s -> s.subscriptions() == 1));

        ZMQ.Socket req = wire.connect(SocketType.REQ, queue.frontendEndpoints());
        send(req, "4");
        receive(req);
        assertThat(Wire.strings(receive(outOnly)).get(0)).isEqualTo("out");
        send(req, "5");
        receive(req);
        assertThat(Wire.strings(receive(outOnly))).last().isEqualTo("10"); // the "in" capture of 5 never came
    }
}
