package io.zmqtap.cli;

import static io.zmqtap.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.endpoint.Endpoint;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.sink.JsonSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import picocli.CommandLine;

/** {@code zmqtap ctl} against zmqtap's own control socket, REP and PAIR; libzmq's is in SteeringLibzmqProxyTest. */
class CtlCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final ZContext context = new ZContext(1);
    private DoublingServer server;
    private MonitoredQueue queue;

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.close();
        }
        if (server != null) {
            server.close();
        }
        context.close();
    }

    private MonitoredQueue queue(MonitoredQueue.Engine engine, SocketType controlType) {
        server = DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter()));
        queue = MonitoredQueue.builder().engine(engine)
                .frontend("@tcp://127.0.0.1:*")
                .backend(">" + server.endpoints().get(0).substring(1))
                .control("@tcp://127.0.0.1:*").controlType(controlType)
                .start();
        return queue;
    }

    private static String control(MonitoredQueue queue) {
        return queue.controlEndpoints().get(0).substring(1);
    }

    private ZMQ.Socket client() {
        ZMQ.Socket req = context.createSocket(SocketType.REQ);
        req.setLinger(0);
        req.setReceiveTimeOut((int) TIMEOUT.toMillis());
        Sockets.attach(req, List.of(new Endpoint(false, queue.frontendEndpoints().get(0).substring(1))), "client");
        return req;
    }

    /** True if a reply comes within {@code millis}. */
    private boolean replyWithin(ZMQ.Socket req, int millis) {
        ZMQ.Poller poller = context.createPoller(1);
        poller.register(req, ZMQ.Poller.POLLIN);
        return poller.poll(millis) > 0;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MonitoredQueue.Engine.class, names = {"JEROMQ", "WIRE"})
    void everyCommandSteersZmqtapsQueue(MonitoredQueue.Engine engine) throws Exception {
        String control = control(queue(engine, SocketType.REP));
        ZMQ.Socket req = client();
        req.send("21");
        assertThat(req.recvStr()).isEqualTo("42");

        CliTest.Result stats = run("ctl", control, "stats");
        assertThat(stats.exit()).as(stats.err()).isZero();
        // [id(5), "", "21"] and [id, "", "42"]: 7 bytes each way
        assertThat(stats.outLines()).containsExactly(
                "frontend  msgs in 1  bytes in 7  msgs out 1  bytes out 7",
                "backend   msgs in 1  bytes in 7  msgs out 1  bytes out 7");

        CliTest.Result json = run("ctl", control, "stats-json");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode o = JsonSink.mapper().readTree(json.out());
        assertThat(o.get("type").asText()).isEqualTo("statistics");
        assertThat(o.at("/counters/frontend_messages_in").asLong()).isEqualTo(1);
        assertThat(o.at("/counters/paused").asLong()).isZero();

        CliTest.Result pause = run("ctl", control, "pause");
        assertThat(pause.exit()).as(pause.err()).isZero();
        assertThat(pause.out()).isEqualTo("ok: PAUSE" + System.lineSeparator());
        assertThat(pause.err()).as("zmqtap acknowledges: no note").isEmpty();
        assertThat(queue.isPaused()).isTrue();
        req.send("5");
        assertThat(replyWithin(req, 300)).as("a reply while paused").isFalse();

        assertThat(run("ctl", control, "resume").out()).isEqualTo("ok: RESUME" + System.lineSeparator());
        assertThat(req.recvStr()).isEqualTo("10");

        CliTest.Result terminate = run("ctl", control, "terminate", "--json");
        assertThat(terminate.exit()).as(terminate.err()).isZero();
        assertThat(terminate.out().strip()).isEqualTo("{\"ok\":true,\"command\":\"TERMINATE\",\"acknowledged\":true}");
        assertThat(queue.awaitTermination(TIMEOUT)).isTrue();
        assertThat(queue.failure()).isNull();
    }

    @Test
    void overPairStatsAndSteeringWorkAndStatsJsonIsRefusedUnsent() throws Exception {
        String control = control(queue(MonitoredQueue.Engine.AUTO, SocketType.PAIR));

        CliTest.Result stats = run("ctl", "--type", "pair", control, "stats");
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.outLines()).hasSize(2);
        assertThat(stats.outLines().get(0)).startsWith("frontend  msgs in 0");

        CliTest.Result json = run("ctl", "--type", "pair", control, "stats-json");
        assertThat(json.exit()).isEqualTo(1);
        assertThat(json.err()).isEqualTo("zmqtap: stats-json needs a REP control socket: over PAIR, ctl cannot tell"
                + " zmqtap from libzmq's zmq_proxy_steerable, which aborts on commands it does not know; use stats"
                + System.lineSeparator());

        CliTest.Result pause = run("ctl", "--type", "pair", control, "pause");
        assertThat(pause.exit()).as(pause.err()).isZero();
        assertThat(pause.out()).isEqualTo("ok: PAUSE" + System.lineSeparator());
        await().atMost(TIMEOUT).until(queue::isPaused);

        assertThat(run("ctl", "--type", "pair", control, "terminate").exit()).isZero();
        assertThat(queue.awaitTermination(TIMEOUT)).isTrue();
    }

    @Test
    void aReqAgainstAPairControlSocketIsToldToUsePair() {
        String control = control(queue(MonitoredQueue.Engine.AUTO, SocketType.PAIR));
        CliTest.Result r = run("ctl", control, "stats", "--timeout", "2s");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("zmqtap: " + control + " closed the connection without replying"
                + " (is its control socket a PAIR? then use --type pair; or did the proxy exit?)" + System.lineSeparator());
    }

    @Test
    void aSilentControlSocketFailsWithinTheTimeoutSayingItTookTheConnection() {
        ZMQ.Socket deaf = context.createSocket(SocketType.REP); // takes connections, never reads
        deaf.setLinger(0);
        deaf.bind("tcp://127.0.0.1:*");
        String endpoint = deaf.getLastEndpoint();

        // long enough for the handshake to finish on a loaded CI host (at 500 ms it once did not, and
        // ctl then rightly said nothing had answered); the deadline, not the handshake, ends the wait
        long started = System.nanoTime();
        CliTest.Result r = run("ctl", endpoint, "pause", "--timeout", "3s");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("zmqtap: no reply from " + endpoint + " within 3000 ms although it took the"
                + " connection (libzmq 4.3.4's zmq_proxy_steerable stops answering on a REP control socket once it"
                + " got PAUSE, RESUME or TERMINATE)" + System.lineSeparator());
        assertThat(tookMillis).as("the whole command, probe included, within its timeout").isLessThan(5_000);
    }

    @Test
    void theTimeoutIsAPositiveTimeWithAUnit() {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("0", "bad --timeout '0': expected at least 1ms, e.g. 3s");
        errors.put("500us", "bad --timeout '500us': expected at least 1ms, e.g. 3s");
        errors.put("-1s", "bad --timeout '-1s': expected e.g. 3s, 500ms or 100us");
        // milliseconds until the units came: an old script's bare number is refused, never read as seconds
        errors.put("3000", "bad --timeout '3000': add a unit, e.g. 3000s or 3000ms");
        errors.forEach((bad, error) -> {
            CliTest.Result r = run("ctl", "tcp://127.0.0.1:1", "stats", "--timeout", bad);
            assertThat(r.exit()).as(bad).isEqualTo(2);
            assertThat(r.err()).isEqualTo("zmqtap: " + error + System.lineSeparator());
        });
    }

    @Test
    void theTimeoutDefaultsToThreeSeconds() {
        CommandLine cl = ZmqTap.commandLine();
        cl.parseArgs("ctl", "tcp://127.0.0.1:1", "stats");
        CtlCommand ctl = cl.getSubcommands().get("ctl").getCommand();
        assertThat(Durations.parse("--timeout", ctl.timeout)).isEqualTo(Duration.ofSeconds(3));
    }
}
