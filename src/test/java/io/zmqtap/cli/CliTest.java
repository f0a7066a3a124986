package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.example.DoublingServer;
import io.zmqtap.proxy.MonitoredQueue;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CliTest {
    /** Output of one finished command. */
    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\R"));
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        Result r = run(out, args);
        return new Result(r.exit(), out.toString(), r.err());
    }

    /** As {@link #run(String...)}, standard output going to {@code stdout} (e.g. one that fails): the result's {@code out} is empty. */
    static Result run(Writer stdout, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = ZmqTap.commandLine();
        cl.setOut(new PrintWriter(stdout, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, "", err.toString());
    }

    private static void assertOneLineError(Result r, String line) {
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("zmqtap: " + line + System.lineSeparator());
    }

    /** A value that cannot be used: one line, exit code 2 like any usage error. */
    private static void assertUsageError(Result r, String line) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("zmqtap: " + line + System.lineSeparator());
    }

    @Test
    void aBadEndpointIsOneLineNamingIt() {
        assertUsageError(run("queue", "--in", "tcp//localhost:4444"),
                "bad endpoint 'tcp//localhost:4444': expected transport://address, e.g. @tcp://*:4444");
        assertUsageError(run("watch", "tcp://localhost:99999", "--color", "never"),
                "bad endpoint 'tcp://localhost:99999': port '99999' is not a number from 0 to 65535 or *");
    }

    @Test
    void aPortInUseIsOneLineNamingTheSocketAndAddress() {
        try (MonitoredQueue first = MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*")
                .backend(">tcp://127.0.0.1:1").start()) {
            String taken = first.frontendEndpoints().get(0);
            assertOneLineError(run("queue", "--in", taken, "--out", ">tcp://127.0.0.1:1", "--mon", "@tcp://127.0.0.1:*"),
                    "cannot bind frontend to " + taken.substring(1) + ": address already in use");
            assertOneLineError(run("queue", "--in", "@tcp://127.0.0.1:*", "--out", ">tcp://127.0.0.1:1", "--mon", taken),
                    "cannot bind capture to " + taken.substring(1) + ": address already in use");
        }
    }

    @Test
    void anUnknownSocketTypeListsTheAllowedOnes() {
        Result r = run("queue", "--mon-type", "SUBB", "--in", "@tcp://127.0.0.1:*");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("zmqtap: unknown socket type 'SUBB' for --mon-type: expected one of ")
                .contains("PUB", "PUSH", "DEALER", "PAIR").doesNotContain("Exception", "\tat ");
        assertUsageError(run("proxy", "bogus", "--frontend", "@tcp://127.0.0.1:*", "--backend", "@tcp://127.0.0.1:*"),
                "unknown pattern 'bogus': expected queue, router-router, forwarder, streamer or pair");
        assertUsageError(run("queue", "--capture-format", "pcap", "--in", "@tcp://127.0.0.1:*"),
                "unknown capture format 'pcap': expected prefixed, raw or envelope");
        assertUsageError(run("queue", "--busy-poll", "briefly", "--in", "@tcp://127.0.0.1:*"),
                "bad --busy-poll 'briefly': expected e.g. 3s, 500ms or 100us");
        assertUsageError(run("queue", "--engine", "turbo", "--in", "@tcp://127.0.0.1:*"),
                "unknown engine 'turbo': expected auto, jeromq or wire");
        assertUsageError(run("proxy", "forwarder", "--engine", "wire", "--frontend", "@tcp://127.0.0.1:*",
                        "--backend", "@tcp://127.0.0.1:*"),
                "the wire engine cannot run this proxy: it runs ROUTER/DEALER queues only, not XSUB/XPUB"
                        + " (use the jeromq engine)");
        assertUsageError(run("queue", "--engine", "wire", "--in", "@tcp://127.0.0.1:*", "--out", ">inproc://zmqtap-x"),
                "the wire engine cannot run this proxy: it speaks tcp:// and ipc:// only, not inproc://zmqtap-x"
                        + " (use the jeromq engine)");
    }

    @Test
    void usageErrorsExitWithTwoInOneLine() {
        assertUsageError(run("queue", "--no-such-option"),
                "Unknown option: '--no-such-option' (see 'zmqtap queue --help')");
    }

    @Test
    void valuesThatCannotBeUsedAreOneLineUsageErrors() {
        String in = "@tcp://127.0.0.1:*";
        assertUsageError(run("queue", "--in", in, "--hwm", "-5"),
                "the high-water mark must be 0 (none) or a positive number of messages, not -5");
        assertUsageError(run("queue", "--in", in, "--capture-hwm", "0"),
                "the capture high-water mark must be a positive number of messages, not 0");
        assertUsageError(run("queue", "--in", in, "--stats", "-1"), "bad --stats '-1': expected e.g. 3s, 500ms or 100us");
        assertUsageError(run("watch", ">tcp://127.0.0.1:1", "--stats", "-1"),
                "bad --stats '-1': expected e.g. 3s, 500ms or 100us");
        assertUsageError(run("queue", "--in", in, "--in-type", "PUB", "--out-type", "SUB"),
                "a PUB frontend with a SUB backend is no proxy: expected ROUTER or DEALER with ROUTER or DEALER, "
                        + "XSUB or SUB with XPUB or PUB, PULL with PUSH, or PAIR with PAIR");
        assertUsageError(run("queue", "--in", in, "--color", "bogus"), "bad --color 'bogus': expected auto, always or never");
        assertUsageError(run("queue", "--in", in, "--max-in-flight", "0"),
                "the in-flight limit must be a positive number of requests, not 0");
        assertUsageError(run("queue", "--in", in, "--max-memory", "lots"),
                "bad --max-memory 'lots': expected a size such as 4096, 64KiB or 256MiB");
        assertUsageError(run("queue", "--in", in, "--max-message", "2GiB"),
                "max message size must be from 1 to 1073741824 bytes (1 GiB), not 2147483648");
        assertUsageError(run("queue", "--in", in, "--engine", "jeromq", "--out", ">ipc:///tmp/zmqtap-x"),
                "cannot use ipc:///tmp/zmqtap-x with the jeromq engine: JeroMQ only emulates ipc:// over TCP, so "
                        + "libzmq peers could not connect; use tcp://, or the wire engine (ROUTER/DEALER queues)");
    }

    @Test
    void aDurationWithoutAUnitIsRefusedOnEveryOption() {
        String in = "@tcp://127.0.0.1:*";
        assertUsageError(run("watch", ">tcp://127.0.0.1:1", "--stats", "5"), "bad --stats '5': add a unit, e.g. 5s or 5ms");
        assertUsageError(run("queue", "--in", in, "--busy-poll", "100"),
                "bad --busy-poll '100': add a unit, e.g. 100s or 100ms");
        assertUsageError(run("tap", "--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:1",
                "--handshake-timeout", "30"), "bad --handshake-timeout '30': add a unit, e.g. 30s or 30ms");
        assertUsageError(run("example", "client", "--connect", ">tcp://127.0.0.1:1", "--timeout", "200"),
                "bad --timeout '200': add a unit, e.g. 200s or 200ms");
        assertUsageError(run("ctl", "tcp://127.0.0.1:1", "stats", "--timeout", "3000"),
                "bad --timeout '3000': add a unit, e.g. 3000s or 3000ms");
    }

    @Test
    void anAddressThatIsNoHostIsNamedNotNull() {
        for (String engine : List.of("wire", "jeromq")) {
            Result r = run("queue", "--engine", engine, "--in", "@tcp://999.1.1.1:4444", "--out", ">tcp://127.0.0.1:1",
                    "--mon", "none");
            assertOneLineError(r, "cannot bind frontend to tcp://999.1.1.1:4444: unknown host 999.1.1.1");
        }
    }

    @Test
    void aClientWithNoServerGivesUpWithAClearError() {
        assertOneLineError(run("example", "client", "--connect", ">tcp://127.0.0.1:1", "--timeout", "200ms"),
                "no reply to request 0 from >tcp://127.0.0.1:1 within 200 ms (is the server or queue running?)");
        assertOneLineError(run("ctl", "tcp://127.0.0.1:1", "stats", "--timeout", "200ms"),
                "no reply from tcp://127.0.0.1:1 within 200 ms (is a proxy with --control listening there?)");
    }

    @Test
    void theExampleServerAnswersNonIntegersWithAnErrorAndKeepsServing() throws Exception {
        StringWriter log = new StringWriter();
        try (DoublingServer server = DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(log, true));
             org.zeromq.ZContext ctx = new org.zeromq.ZContext(1)) {
            org.zeromq.ZMQ.Socket req = ctx.createSocket(org.zeromq.SocketType.REQ);
            req.setReceiveTimeOut(5_000);
            io.zmqtap.endpoint.Sockets.attach(req, io.zmqtap.endpoint.Endpoint.parseList(">" + server.endpoints().get(0).substring(1)), "test");
            req.send("three");
            assertThat(req.recvStr()).isEqualTo("error: not an integer: 'three'");
            req.send("21");
            assertThat(req.recvStr()).isEqualTo("42");
        }
        assertThat(log.toString()).contains("received three", "rejected 'three': not an integer",
                "replied error: not an integer: 'three'", "received 21", "replied 42");
    }

    @Test
    void demoShowsTheSniffedConversationWithAndWithoutIdentity() {
        Result r = run("demo", "--color", "never");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        List<String> auto = lines.stream().filter(l -> l.matches(".*  (in |out)  0x00[0-9a-f]{8} .*")).toList();
        List<String> named = lines.stream().filter(l -> l.matches(".*  (in |out)  client_id_abc .*")).toList();
        assertThat(auto).hasSize(10);
        assertThat(named).hasSize(10);
        assertThat(auto.get(0)).endsWith("| \"0\"").contains("  in ");
        assertThat(auto.get(9)).matches(".*  out  .*\\| \"8\"  \\(reply in [0-9.]+ (µs|ms)\\)");
        assertThat(named.get(7)).matches(".*  out  .*\\| \"6\"  \\(reply in [0-9.]+ (µs|ms)\\)");
        assertThat(lines).contains("-- client printed: 4 result:  8");
        // the watcher's summary: each client with its reply latency, then the queue's counts
        assertThat(lines.stream().filter(l -> l.matches("  client (0x00[0-9a-f]{8}|client_id_abc) +in 5  out 5 .*"
                + "latency p50 .* max .*"))).hasSize(2);
        assertThat(lines.get(lines.size() - 1)).isEqualTo(
                "-- queue: in 10 msgs (100 B), out 10 msgs (100 B), captured 20, capture dropped 0");
    }

    @Test
    void exampleLinesBecomeJsonWhenAsked() {
        assertThat(JsonLineWriter.clientLine("3 result:  6").toString())
                .isEqualTo("{\"type\":\"client\",\"request\":\"3\",\"reply\":\"6\"}");
        assertThat(JsonLineWriter.serverLine("received 3").toString())
                .isEqualTo("{\"type\":\"server\",\"event\":\"received\",\"text\":\"3\"}");
        assertThat(JsonLineWriter.serverLine("rejected 'x': not an integer").get("event").asText()).isEqualTo("rejected");
    }

    @Test
    void demoWritesJsonLinesWhenAsked() {
        Result r = run("demo", "--json");
        assertThat(r.exit()).isZero();
        assertThat(r.outLines()).allSatisfy(l -> assertThat(l).startsWith("{").endsWith("}"));
        assertThat(r.outLines().stream().filter(l -> l.contains("\"type\":\"message\""))).hasSize(20);
        assertThat(r.outLines().stream().filter(l -> l.contains("\"reply_to\":"))).hasSize(10);
        assertThat(r.outLines().stream().filter(l -> l.contains("\"type\":\"statistics\""))).hasSize(1);
    }
}
