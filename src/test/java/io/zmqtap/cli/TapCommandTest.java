package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import picocli.CommandLine;

class TapCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine commandLine() {
        CommandLine cl = ZmqTap.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    private int run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "tap";
        System.arraycopy(args, 0, all, 1, args.length);
        return commandLine().execute(all);
    }

    @Test
    void aListenPortInUseIsOneLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String endpoint = "tcp://127.0.0.1:" + taken.getLocalPort();

            int code = run("--listen", endpoint, "--upstream", "tcp://127.0.0.1:5555");

            assertThat(code).isEqualTo(1);
            assertThat(err.toString()).isEqualTo("zmqtap: cannot listen on " + endpoint + ": address already in use\n");
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void aBadPortIsOneLine() {
        int code = run("--listen", "tcp://127.0.0.1:99999", "--upstream", "tcp://127.0.0.1:5555");

        assertThat(code).as("a usage error").isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "zmqtap: bad endpoint 'tcp://127.0.0.1:99999': port '99999' is not a number from 0 to 65535 or *\n");
    }

    @Test
    @Timeout(10) // a tap that accepted such an upstream would run until stopped
    void upstreamsTheTapCannotConnectToAreOneLine() {
        assertThat(run("--listen", "tcp://127.0.0.1:0", "--upstream", "inproc://server")).isEqualTo(2);
        assertThat(run("--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://*:5555")).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("zmqtap: bad endpoint 'inproc://server' for --upstream:"
                + " zmqtap speaks ZMTP itself over tcp:// and ipc:// only, not inproc://server\n"
                + "zmqtap: bad endpoint 'tcp://*:5555' for --upstream:"
                + " cannot connect to host * (name the host, e.g. tcp://127.0.0.1:5555)\n");
    }

    @Test
    void badLimitsAreOneLine() {
        assertThat(run("--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:5555", "--max-connections", "0"))
                .isEqualTo(2);
        assertThat(run("--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:5555", "--backlog", "0"))
                .isEqualTo(2);
        assertThat(run("--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:5555",
                "--handshake-timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("zmqtap: bad --max-connections 0: expected a number >= 1\n"
                + "zmqtap: bad --backlog 0: expected a number >= 1\n"
                + "zmqtap: bad --handshake-timeout 'soon': expected e.g. 3s, 500ms or 100us\n");
    }

    @Test
    void anUpstreamWithoutAPortIsOneLine() {
        int code = run("--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:0");

        assertThat(code).as("a usage error").isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "zmqtap: bad endpoint 'tcp://127.0.0.1:0' for --upstream: needs a port from 1 to 65535\n");
    }

    @Test
    void eachListenNeedsItsOwnUpstream() {
        int code = run("--listen", "tcp://127.0.0.1:0", "--listen", "tcp://127.0.0.1:0",
                "--upstream", "tcp://127.0.0.1:5555");

        assertThat(code).as("a usage error").isEqualTo(2);
        assertThat(err.toString()).isEqualTo("zmqtap: each --listen needs its own --upstream (in order):"
                + " got 2 --listen and 1 --upstream\n");
    }

    @Test
    void aBadColorIsOneLine() {
        int code = run("--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:5555", "--color", "pink");

        assertThat(code).as("a usage error").isEqualTo(2);
        assertThat(err.toString()).isEqualTo("zmqtap: bad --color 'pink': expected auto, always or never\n");
    }

    @Test
    void aBadSnapIsOneLineUnderEitherName() {
        assertThat(run("--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:5555", "--snap", "lots"))
                .isEqualTo(2);
        assertThat(run("--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:5555", "--max-frame", "0"))
                .isEqualTo(2);

        assertThat(err.toString()).isEqualTo(
                "zmqtap: bad --snap 'lots': expected a size such as 4096, 64KiB or 256MiB\n"
                + "zmqtap: bad --max-frame '0': expected a size such as 4096, 64KiB or 256MiB\n");
    }

    @Test
    void aBadBusyPollIsOneLine() {
        int code = run("--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:5555", "--busy-poll", "-1");

        assertThat(code).as("a usage error").isEqualTo(2);
        assertThat(err.toString()).isEqualTo("zmqtap: bad --busy-poll '-1': expected e.g. 3s, 500ms or 100us\n");
    }

    @Test
    void aRunningTapPrintsWhereItListensShowsTrafficAndSummarisesWhenStopped() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
            rep.setReceiveTimeOut(10_000);
            int port = rep.bindToRandomPort("tcp://127.0.0.1");
            RunningTap running = start(pool, port);
            TapCommand tap = running.command();
            Future<Integer> code = running.code();
            int tapPort = running.port();
            ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
            req.setReceiveTimeOut(10_000);
            req.connect("tcp://127.0.0.1:" + tapPort);
            req.send("3");
            assertThat(rep.recvStr()).isEqualTo("3");
            rep.send("6");
            assertThat(req.recvStr()).isEqualTo("6");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("\"6\""));

            tap.requestStop();

            assertThat(code.get(10, TimeUnit.SECONDS)).isZero();
            String text = out.toString();
            assertThat(text).containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  c1  open   127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:"
                    + port + "  REQ -> REP  ZMTP 3\\.0 NULL\n");
            assertThat(text).containsPattern("  c1  in   -                 | \"3\"\n");
            assertThat(text).containsPattern("  c1  out  -                 | \"6\"\n");
            assertThat(text).containsPattern("  c1  close  127\\.0\\.0\\.1:\\d+ -> 127\\.0\\.0\\.1:" + port
                    + "  REQ -> REP  ZMTP 3\\.0 NULL  in 1 msgs \\d+ B  out 1 msgs \\d+ B\n");
            assertThat(text).as("statistics go to stderr in text").doesNotContain("summary");
            assertThat(err.toString()).containsPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  summary [\\d.]+ s: .*connections 1, active 0,"
                    + " refused 0, bytes in \\d+, bytes out \\d+, messages in 1, messages out 1, protocol errors 0,"
                    + " upstream failures 0, handshake timeouts 0, notices 0, events dropped 0");
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void beyondMaxConnectionsClientsAreClosedAtOnceWithSummedUpNoticesAndCounted() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        List<Socket> flood = new ArrayList<>();
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
            rep.setReceiveTimeOut(10_000);
            int port = rep.bindToRandomPort("tcp://127.0.0.1");
            RunningTap running = start(pool, port, "--max-connections", "50");
            TapCommand tap = running.command();
            Future<Integer> code = running.code();
            int tapPort = running.port();

            int closedAtOnce = 0;
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket();
                flood.add(s);
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", tapPort), 10_000);
                    s.setSoTimeout(10_000);
                } catch (SocketException reset) {
                    closedAtOnce++; // the tap's reset came before the connect returned
                }
            }
            for (Socket s : flood) {
                if (s.isConnected() && readOrReset(s) < 0) {
                    closedAtOnce++; // a forwarded one gets the server's greeting instead
                }
            }
            for (Socket s : flood) {
                s.close();
            }
            assertThat(closedAtOnce).isEqualTo(150);
            ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
            req.setReceiveTimeOut(10_000);
            req.connect("tcp://127.0.0.1:" + tapPort); // refused (and retried by JeroMQ) until the flood's are closed
            req.send("3");
            assertThat(rep.recvStr()).isEqualTo("3");
            rep.send("6");
            assertThat(req.recvStr()).isEqualTo("6");

            tap.requestStop();

            assertThat(code.get(10, TimeUnit.SECONDS)).isZero();
            String text = out.toString();
            Matcher summary = Pattern.compile("  summary [\\d.]+ s: .*connections \\d+, active \\d+, refused (\\d+),"
                    + " .*, notices (\\d+),").matcher(err.toString());
            assertThat(summary.find()).as(err.toString()).isTrue();
            long refused = Long.parseLong(summary.group(1));
            assertThat(refused).isGreaterThanOrEqualTo(150).isEqualTo(Long.parseLong(summary.group(2)));
            List<String> shown = lines(text, "  ! refused the connection from 127\\.0\\.0\\.1:\\d+: 50 connections open,"
                    + " the most allowed");
            List<String> summed = lines(text, "  ! refused a connection: 50 connections open, the most allowed"
                    + " … and [\\d,]+ more like this in the last \\d+ s");
            assertThat(shown).hasSize(3);
            assertThat(summed).hasSize(1);
            assertThat(Long.parseLong(summed.get(0).replaceAll(".* and ([\\d,]+) more.*", "$1").replace(",", "")))
                    .isEqualTo(refused - 3);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void withJsonEveryEventIsASchemaV1LineAndTheSummaryIsTheLast() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
            rep.setReceiveTimeOut(10_000);
            int port = rep.bindToRandomPort("tcp://127.0.0.1");
            RunningTap running = start(pool, port, "--json", "--snap", "4");
            ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
            req.setReceiveTimeOut(10_000);
            req.connect("tcp://127.0.0.1:" + running.port());
            req.send("3");
            assertThat(rep.recvStr()).isEqualTo("3");
            rep.send("123456");
            assertThat(req.recvStr()).isEqualTo("123456");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains("\"dir\":\"out\""));

            running.command().requestStop();

            assertThat(running.code().get(10, TimeUnit.SECONDS)).isZero();
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.toString().split("\n")) {
                lines.add(json.readTree(line));
            }
            String source = "tcp://127.0.0.1:" + running.port();
            assertThat(lines).allSatisfy(l -> {
                assertThat(l.get("v").asInt()).isEqualTo(1);
                assertThat(l.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
                assertThat(l.get("source").asText()).isEqualTo(source);
            });
            assertThat(lines).extracting(l -> l.get("type").asText())
                    .containsExactly("handshake", "handshake", "connection", "message", "message", "connection", "statistics");
            JsonNode request = lines.get(3);
            JsonNode reply = lines.get(4);
            assertThat(request.toString()).isEqualTo("{\"v\":1,\"type\":\"message\",\"ts\":\"" + request.get("ts").asText()
                    + "\",\"source\":\"" + source + "\",\"conn\":\"c1\",\"seq\":1,\"dir\":\"in\","
                    + "\"frames\":[{\"text\":\"\"},{\"text\":\"3\"}],\"size\":1}");
            assertThat(reply.get("conn").asText()).isEqualTo("c1");
            assertThat(reply.get("seq").asLong()).isEqualTo(2);
            assertThat(reply.get("dir").asText()).isEqualTo("out");
            assertThat(reply.get("frames").toString()).as("--snap 4 keeps 4 bytes of each frame")
                    .isEqualTo("[{\"text\":\"\"},{\"text\":\"1234\",\"size\":6,\"truncated\":true}]");
            assertThat(reply.get("size").asLong()).isEqualTo(6);
            JsonNode summary = lines.get(6);
            assertThat(summary.has("conn")).isFalse();
            assertThat(summary.get("last").asBoolean()).isTrue();
            assertThat(summary.get("counters").get("connections").asLong()).isEqualTo(1);
            assertThat(summary.get("counters").get("messages_in").asLong()).isEqualTo(1);
            assertThat(summary.get("counters").get("messages_out").asLong()).isEqualTo(1);
            assertThat(err.toString()).as("the banner only").startsWith("zmqtap tap: listening on").hasLineCount(1);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** A {@code zmqtap tap} run on {@code pool}: the command (to stop it), its exit code to come, the port it listens on. */
    private record RunningTap(TapCommand command, Future<Integer> code, int port) {}

    /** Runs {@code zmqtap tap --listen tcp://127.0.0.1:0 --upstream tcp://127.0.0.1:UPSTREAM --color never OPTIONS}. */
    private RunningTap start(ExecutorService pool, int upstreamPort, String... options) {
        CommandLine cl = commandLine();
        List<String> args = new ArrayList<>(List.of("tap", "--listen", "tcp://127.0.0.1:0",
                "--upstream", "tcp://127.0.0.1:" + upstreamPort, "--color", "never"));
        args.addAll(List.of(options));
        Future<Integer> code = pool.submit(() -> cl.execute(args.toArray(String[]::new)));
        return new RunningTap(cl.getSubcommands().get("tap").getCommand(), code, listenPort(upstreamPort));
    }

    /** The port of the tap the test started, from its banner on stderr, which must come first and name {@code upstreamPort}. */
    private int listenPort(int upstreamPort) {
        Pattern banner = Pattern.compile("zmqtap tap: listening on tcp://127\\.0\\.0\\.1:(\\d+), forwarding to "
                + "tcp://127\\.0\\.0\\.1:" + upstreamPort + " \\(Ctrl-C to stop\\)\n");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> banner.matcher(err.toString()).lookingAt());
        Matcher m = banner.matcher(err.toString());
        assertThat(m.lookingAt()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** The lines of {@code text} that end with a match of {@code pattern}. */
    private static List<String> lines(String text, String pattern) {
        Pattern p = Pattern.compile(".*" + pattern);
        return text.lines().filter(line -> p.matcher(line).matches()).toList();
    }

    /** The next byte, or -1 at end of stream or when the connection was reset. */
    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
