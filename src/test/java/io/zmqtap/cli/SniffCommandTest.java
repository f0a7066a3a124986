package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.endpoint.Sockets;
import io.zmqtap.pcap.LiveCapture;
import io.zmqtap.testing.BrokenWriter;
import io.zmqtap.testing.ChildProcess;
import io.zmqtap.testing.CommandRun;
import io.zmqtap.testing.Head;
import io.zmqtap.testing.JsonLines;
import io.zmqtap.testing.LoopbackPorts;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@code zmqtap sniff} on {@code lo} beside a REQ and a REP talking directly, as the issue's
 * original question asks. Needs the capture privilege (root or CAP_NET_RAW) and libpcap: without
 * them the live test is skipped, not passed.
 */
class SniffCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** Null when a live capture on lo can be opened here, else why not. */
    private static String cannotCapture() {
        try (LiveCapture c = LiveCapture.open("lo", "tcp", null)) {
            return null;
        } catch (RuntimeException | LinkageError e) {
            return e.getMessage();
        }
    }

    @Test
    void aReqRepConversationOnLoopbackIsSeenLiveWithDirectionIdentityAndLatency() throws Exception {
        String why = cannotCapture();
        Assumptions.assumeTrue(why == null, () -> "no live capture on lo: " + why);
        int port = LoopbackPorts.free();
        Path written = dir.resolve("seen.pcap");
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
            rep.setReceiveTimeOut((int) TIMEOUT.toMillis());
            rep.bind("tcp://127.0.0.1:" + port);
            Thread server = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    byte[] request = rep.recv();
                    if (request == null) {
                        return;
                    }
                    rep.send(("re " + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                }
            }, "rep");
            server.setDaemon(true);
            server.start();
            try (CommandRun sniff = CommandRun.start("sniff", "--interface", "lo", "--port", String.valueOf(port),
                    "--json", "-n", "6", "--write", written.toString())) {
                await().atMost(TIMEOUT).until(() -> sniff.err().contains("capturing on lo")
                        || !sniff.out().isEmpty() || sniff.err().contains("zmqtap:"));
                assertThat(sniff.err()).contains("zmqtap sniff: capturing on lo, filter 'tcp port " + port + "'");
                ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
                req.setIdentity("client_a".getBytes(StandardCharsets.UTF_8));
                req.setReceiveTimeOut((int) TIMEOUT.toMillis());
                req.connect("tcp://127.0.0.1:" + port);
                for (int i = 0; i < 3; i++) {
                    req.send("q" + i);
                    assertThat(req.recvStr()).isEqualTo("re q" + i);
                }
                assertThat(sniff.awaitExit(TIMEOUT)).as(sniff.err()).isZero();
                List<JsonNode> events = JsonLines.parse(sniff.outLines());
                assertConversation(events, port, "lo");
            }
            server.join(TIMEOUT.toMillis());
        }
        // the packets written read back into the same conversation
        CliTest.Result read = CliTest.run("read", written.toString(), "--json");
        assertThat(read.exit()).as(read.err()).isZero();
        assertConversation(JsonLines.parse(read.outLines()), port, written.toString());
    }

    @Test
    void anOutputThatThrowsMakesSniffFailInOneLine() throws Exception {
        String why = cannotCapture();
        Assumptions.assumeTrue(why == null, () -> "no live capture on lo: " + why);
        int port = LoopbackPorts.free();
        Writer broken = new BrokenWriter("the output went away");
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
            rep.setReceiveTimeOut((int) TIMEOUT.toMillis());
            rep.bind("tcp://127.0.0.1:" + port);
            try (CommandRun sniff = CommandRun.start(broken, "sniff", "--interface", "lo", "--port", String.valueOf(port),
                    "--json", "-n", "2")) {
                await().atMost(TIMEOUT).until(() -> sniff.err().contains("capturing on lo") || sniff.err().contains("zmqtap:"));
                ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
                req.setReceiveTimeOut((int) TIMEOUT.toMillis());
                req.connect("tcp://127.0.0.1:" + port);
                req.send("q");
                assertThat(rep.recvStr()).isEqualTo("q");
                rep.send("r");
                assertThat(req.recvStr()).isEqualTo("r");

                assertThat(sniff.awaitExit(TIMEOUT)).as(sniff.err()).isEqualTo(1);
                assertThat(sniff.err()).containsPattern(
                        "(?m)^zmqtap: [0-9,]+ events or summaries could not be written \\(the first: IllegalStateException: the output went away\\)$");
            }
        }
    }

    @Test
    void aClosedOutputStopsSniffInOneLine() throws Exception {
        String why = cannotCapture();
        Assumptions.assumeTrue(why == null, () -> "no live capture on lo: " + why);
        int port = LoopbackPorts.free();
        Path err = dir.resolve("err.txt");
        // its own process, as in "zmqtap sniff ... | head -1": no --count, only the closed pipe can end it
        Process sniff = new ProcessBuilder(ChildProcess.zmqtapCommand(List.of(), "sniff", "--interface", "lo", "--port",
                String.valueOf(port), "--json")).redirectError(err.toFile()).start();
        try (ZContext ctx = new ZContext(1)) {
            await().atMost(TIMEOUT).until(() -> Files.readString(err).contains("capturing on lo") || !sniff.isAlive());
            ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
            rep.setReceiveTimeOut((int) TIMEOUT.toMillis());
            rep.bind("tcp://127.0.0.1:" + port);
            ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
            req.setReceiveTimeOut((int) TIMEOUT.toMillis());
            Sockets.prepareToConnect(req); // JeroMQ's connect race: a stalled connection is reopened after 1 s
            req.connect("tcp://127.0.0.1:" + port);
            roundTrip(req, rep);
            assertThat(Head.firstLine(sniff, TIMEOUT)).startsWith("{");
            int exit = Head.awaitExit(sniff, () -> roundTrip(req, rep), TIMEOUT);
            assertThat(exit).as(Files.readString(err)).isEqualTo(1);
        } finally {
            sniff.destroyForcibly();
            sniff.waitFor(10, TimeUnit.SECONDS);
        }
        String stderr = Files.readString(err);
        assertThat(stderr).containsPattern("(?m)^zmqtap: the output could not be written \\(.+\\): stopped capturing$");
    }

    private static void roundTrip(ZMQ.Socket req, ZMQ.Socket rep) {
        req.send("q");
        assertThat(rep.recvStr()).isEqualTo("q");
        rep.send("r");
        assertThat(req.recvStr()).isEqualTo("r");
    }

    private static void assertConversation(List<JsonNode> events, int port, String source) {
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("v").asInt()).isEqualTo(1);
            assertThat(e.path("ts").asText()).matches(JsonLines.TS);
            assertThat(e.path("source").asText()).isEqualTo(source);
        });
        List<JsonNode> m = JsonLines.ofType(events, "message");
        assertThat(m).extracting(e -> e.path("dir").asText() + " " + last(e))
                .containsExactly("in q0", "out re q0", "in q1", "out re q1", "in q2", "out re q2");
        assertThat(m).allSatisfy(e -> assertThat(e.path("identity").asText()).isEqualTo("client_a"));
        for (int i = 1; i < m.size(); i += 2) {
            assertThat(m.get(i).path("reply_to").asLong()).isEqualTo(m.get(i - 1).path("seq").asLong());
            assertThat(m.get(i).path("latency_us").asDouble()).isPositive();
        }
        assertThat(JsonLines.ofType(events, "handshake")).extracting(e -> e.path("socket_type").asText())
                .containsExactlyInAnyOrder("REQ", "REP");
        JsonNode lastLine = events.get(events.size() - 1);
        assertThat(lastLine.path("type").asText()).isEqualTo("statistics");
        assertThat(lastLine.path("counters").path("zeromq_flows").asLong()).isEqualTo(1);
    }

    private static String last(JsonNode message) {
        JsonNode frames = message.path("frames");
        return frames.get(frames.size() - 1).path("text").asText();
    }

    @Test
    void anUnknownInterfaceIsOneLineNamingIt() {
        String why = cannotCapture();
        Assumptions.assumeFalse(why != null && why.contains("libpcap"), () -> "no libpcap: " + why);
        CliTest.Result r = CliTest.run("sniff", "--interface", "nosuch0", "--port", "5555");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("zmqtap: no interface named 'nosuch0': pcap sees ").contains("lo");
        assertThat(r.err().strip()).doesNotContain("\n");
    }
}
