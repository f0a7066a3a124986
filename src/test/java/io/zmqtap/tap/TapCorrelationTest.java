package io.zmqtap.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.StatisticsEvent;
import io.zmqtap.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/**
 * Real DEALER clients through the tap into the pipeline: each puts a request id in its envelope,
 * as DEALER/ROUTER protocols do, and the ROUTER server answers out of order and leaves one request
 * unanswered. Every reply must be paired with its own request (by connection and envelope, not by
 * arrival order), and the lost one listed as unanswered when the tap stops.
 */
class TapCorrelationTest {
    private static final int TIMEOUT_MS = 10_000;

    @Test
    void interleavedDealerRequestsArePairedByTheirEnvelopeAndTheLostReplyIsListed() throws Exception {
        RecordingSink sink = new RecordingSink();
        Pipeline pipeline = Pipeline.builder("tap").sink(sink).start();
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket server = ctx.createSocket(SocketType.ROUTER);
            server.setReceiveTimeOut(TIMEOUT_MS);
            int port = server.bindToRandomPort("tcp://127.0.0.1");
            try (WireTap tap = WireTap.builder().route("tcp://127.0.0.1:0", "tcp://127.0.0.1:" + port).sink(pipeline)
                    .start()) {
                ZMQ.Socket a = dealer(ctx, "client_a", tap);
                ZMQ.Socket b = dealer(ctx, "client_b", tap);
                request(a, "r1", "one");
                request(b, "r3", "three");
                request(a, "r2", "two");

                // the server sees [client, request id, "", payload] and answers r3, then r2; never r1
                Map<String, ZMsg> received = new HashMap<>();
                for (int i = 0; i < 3; i++) {
                    ZMsg m = ZMsg.recvMsg(server);
                    assertThat(m).as("request %d at the server", i).isNotNull();
                    received.put(frame(m, 1), m);
                }
                reply(server, received.get("r3"), "THREE");
                reply(server, received.get("r2"), "TWO");
                assertThat(frame(ZMsg.recvMsg(b), 2)).isEqualTo("THREE");
                assertThat(frame(ZMsg.recvMsg(a), 2)).isEqualTo("TWO");
                a.close();
                b.close();
                // both DEALERs' connections closed (a stalled one reopened would be a third: wait
                // for the two that carried messages)
                sink.await(io.zmqtap.event.ConnectionEvent.class,
                        e -> e.kind() == io.zmqtap.event.ConnectionEvent.Kind.CLOSED && e.messagesIn() > 0, 2);
            }
        } finally {
            pipeline.close();
        }

        Map<String, MessageEvent> requests = new HashMap<>();
        Map<String, MessageEvent> replies = new HashMap<>();
        for (MessageEvent m : sink.all(MessageEvent.class)) {
            String id = m.frames().get(0).text();
            (m.direction() == Direction.IN ? requests : replies).put(id, m);
        }
        assertThat(requests.keySet()).containsExactlyInAnyOrder("r1", "r2", "r3");
        assertThat(replies.keySet()).containsExactlyInAnyOrder("r2", "r3");
        for (String id : List.of("r2", "r3")) {
            assertThat(replies.get(id).replyTo()).as("the reply to %s", id).isEqualTo(requests.get(id).seq());
            assertThat(replies.get(id).latencyNanos()).isPositive();
        }
        assertThat(requests.get("r1").identity()).isEqualTo(Frame.of("client_a"));

        StatisticsEvent last = sink.all(StatisticsEvent.class).get(0);
        assertThat(last.last()).isTrue();
        assertThat(last.counter("unanswered")).isEqualTo(1);
        assertThat(last.unanswered()).singleElement().satisfies(p -> {
            assertThat(p.seq()).isEqualTo(requests.get("r1").seq());
            assertThat(p.identity()).isEqualTo(Frame.of("client_a"));
        });
        assertThat(last.peers()).filteredOn(p -> p.latency().count() == 1).hasSize(2);
    }

    /** Frame {@code i} of {@code m} as text; fails the test when no message came. */
    private static String frame(ZMsg m, int i) {
        assertThat(m).as("a message within the timeout").isNotNull();
        return new java.util.ArrayList<>(m).get(i).getString(StandardCharsets.UTF_8);
    }

    private static ZMQ.Socket dealer(ZContext ctx, String identity, WireTap tap) {
        ZMQ.Socket s = ctx.createSocket(SocketType.DEALER);
        s.setIdentity(identity.getBytes(StandardCharsets.UTF_8));
        s.setReceiveTimeOut(TIMEOUT_MS);
        s.setLinger(0);
        // as zmqtap connects: JeroMQ 0.6.0 now and then never sends the greeting on a fresh
        // connection; IMMEDIATE and a handshake timer reopen it instead of waiting for ever
        io.zmqtap.endpoint.Sockets.attach(s,
                List.of(new io.zmqtap.endpoint.Endpoint(false, tap.listenAddresses().get(0))), "test");
        return s;
    }

    private static void request(ZMQ.Socket dealer, String id, String payload) {
        dealer.sendMore(id);
        dealer.sendMore("");
        dealer.send(payload);
    }

    private static void reply(ZMQ.Socket router, ZMsg request, String payload) {
        ZMsg reply = request.duplicate();
        reply.removeLast();
        reply.add(payload);
        assertThat(reply.send(router)).isTrue();
    }
}
