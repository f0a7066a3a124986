package io.zmqtap.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.SocketThread;
import io.zmqtap.event.Frame;
import io.zmqtap.example.DoublingServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/** Replaying against real servers on loopback. */
@Timeout(30)
class ReplayerTest {
    /** A clock that moves only when the replay sleeps, and remembers each sleep. */
    static final class FakeClock implements ReplayClock {
        long now;
        final List<Long> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    private static Endpoint connectTo(String bound) {
        return Endpoint.parse(">" + bound.substring(1));
    }

    @Test
    void speedScalesTheRecordedGapsBetweenRequests() throws Exception {
        // requests recorded at 0 s, 1 s and 3 s
        Recordings rec = new Recordings();
        rec.handshake("c1", "REQ", null);
        long[] at = {0, 1000, 3000};
        for (int i = 0; i < at.length; i++) {
            long s = rec.request("c1", at[i], null, "", Integer.toString(i));
            rec.reply("c1", s, at[i] + 1, null, "", Integer.toString(2 * i));
        }
        ReplayPlan plan = ReplayPlan.of(rec.events(), null);
        try (DoublingServer server = DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter()))) {
            for (String speed : List.of("1x", "2x", "0.5x", "max")) {
                FakeClock clock = new FakeClock();
                ReplaySummary s = Replayer.to(connectTo(server.endpoints().get(0))).speed(Speed.parse(speed))
                        .clock(clock).run(plan, r -> {});
                assertThat(s.same()).as(speed).isEqualTo(3);
                double factor = speed.equals("max") ? 0 : Double.parseDouble(speed.replace("x", ""));
                List<Long> expected = factor == 0 ? List.of()
                        : List.of(Math.round(1e9 / factor), Math.round(2e9 / factor));
                assertThat(clock.sleeps).as(speed).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void aDealerKeepsItsEnvelopeAndTheIdentityItChose() throws Exception {
        Recordings rec = new Recordings();
        rec.handshake("c1", "DEALER", "client_a");
        for (int i = 0; i < 5; i++) {
            long s = rec.request("c1", i, "client_a", "hop" + i, "", "x" + i);
            // the echo server appends the routing id it saw: the identity must have been kept
            rec.reply("c1", s, i, "client_a", "hop" + i, "", "x" + i, i == 3 ? "someone_else" : "client_a");
        }
        List<RequestResult> results = new CopyOnWriteArrayList<>();
        try (EchoRouter echo = new EchoRouter()) {
            ReplaySummary s = Replayer.to(connectTo(echo.endpoint)).speed(Speed.MAX)
                    .run(ReplayPlan.of(rec.events(), null), results::add);
            assertThat(s).isEqualTo(new ReplaySummary(5, 4, 1, 0, 0, 0));
        }
        assertThat(results).filteredOn(r -> r.outcome() == Outcome.DIFFERS).singleElement().satisfies(r -> {
            assertThat(r.request().seq()).isEqualTo(7);
            assertThat(r.reply()).containsExactly(Frame.of("hop3"), Frame.EMPTY, Frame.of("x3"), Frame.of("client_a"));
            assertThat(r.describe(64)).isEqualTo("#7 client_a \"hop3\" | \"x3\" → recorded \"hop3\" | \"x3\" "
                    + "\"someone_else\", now \"hop3\" | \"x3\" \"client_a\" (frame 4 differs at byte 0: 12 B recorded, "
                    + "8 B now)");
        });
    }

    @Test
    void aRequestWithoutReplyIsUnansweredAfterTheTimeoutAndTheNextOneStillGoes() throws Exception {
        Recordings rec = new Recordings().reqSession("c1", 0, List.of("silence", "1"), List.of("x", "2"));
        List<RequestResult> results = new CopyOnWriteArrayList<>();
        try (EchoRouter server = new EchoRouter()) {
            server.ignore = "silence";
            // one timeout for both: the silent request waits it out, and the next one's reply must come
            // within it, on a shared host too (200 ms once was not enough in CI)
            ReplaySummary s = Replayer.to(connectTo(server.endpoint)).timeout(Duration.ofSeconds(2))
                    .run(ReplayPlan.of(rec.events(), null), results::add);
            assertThat(s.unanswered()).isEqualTo(1);
            assertThat(s.ok()).isFalse();
        }
        assertThat(results.get(0).describe(64)).isEqualTo("#1 c1 \"silence\" → recorded | \"x\", now no reply within 2 s");
        // the echo server answers "1" with "1": the REQ was not stuck behind the lost reply
        assertThat(results.get(1).reply()).containsExactly(Frame.EMPTY, Frame.of("1"), Frame.of("c-id"));
    }

    /**
     * A ROUTER that echoes each request and appends the routing id it saw (its text, or
     * {@code c-id} for one the ROUTER made up); it drops requests whose last frame is {@code ignore}.
     */
    static final class EchoRouter implements AutoCloseable {
        final String endpoint;
        final SocketThread thread;
        volatile String ignore = "";

        EchoRouter() {
            ZContext context = new ZContext(1);
            ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
            router.setReceiveTimeOut(100);
            router.setLinger(0);
            router.bind("tcp://127.0.0.1:*");
            endpoint = "@" + router.getLastEndpoint();
            thread = new SocketThread("echo-router", context, running -> {
                while (running.getAsBoolean()) {
                    ZMsg m = ZMsg.recvMsg(router);
                    if (m == null || m.getLast().getString(ZMQ.CHARSET).equals(ignore)) {
                        continue;
                    }
                    byte[] id = m.getFirst().getData();
                    m.add(id.length > 0 && id[0] == 0 ? "c-id".getBytes(ZMQ.CHARSET) : id);
                    m.send(router);
                }
            });
            thread.start();
        }

        @Override
        public void close() {
            thread.close();
        }
    }
}
