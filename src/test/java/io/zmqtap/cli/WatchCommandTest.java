package io.zmqtap.cli;

import static io.zmqtap.testing.JsonLines.assertMessage;
import static io.zmqtap.testing.JsonLines.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.example.DoublingClient;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.feed.CaptureFormat;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.testing.Closer;
import io.zmqtap.testing.CommandRun;
import io.zmqtap.testing.JsonLines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@code zmqtap watch} on zmqtap's own feed in every capture format, and on feeds made by hand:
 * the JSON schema of what it prints, and what its summary counts.
 *
 * <pre>
 * DoublingClient [REQ] --- [ROUTER] MonitoredQueue [DEALER] --- [REP] DoublingServer
 *                                   [PUB] --- zmqtap watch
 * </pre>
 */
class WatchCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final Closer closer = new Closer();

    @AfterEach
    void stop() {
        closer.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(CaptureFormat.class)
    void onZmqtapsOwnFeedEveryFrameIsInTheSchemaInEveryFormat(CaptureFormat format) throws Exception {
        MonitoredQueue queue = queue(format);
        String capture = address(queue.captureEndpoints());
        CommandRun watch = closer.add(CommandRun.start("watch", "--json", "-n", "4", ">" + capture));
        assertThat(queue.awaitCaptureSubscriber(TIMEOUT)).as("watch subscribed; " + watch.err()).isTrue();

        request(queue, null);            // the ROUTER gives this client a routing id: 0x00 and 4 random bytes
        request(queue, "client_id_abc"); // this one names itself

        assertThat(watch.awaitExit(TIMEOUT)).as(watch.err()).isZero();
        List<JsonNode> lines = JsonLines.parse(watch.outLines());
        List<JsonNode> messages = ofType(lines, "message");
        assertThat(messages).hasSize(4);
        String in = format == CaptureFormat.RAW ? "?" : "in";
        String out = format == CaptureFormat.RAW ? "?" : "out";
        String id = messages.get(0).path("identity").asText();
        assertThat(id).matches("0x00[0-9a-f]{8}");
        assertMessage(messages.get(0), capture, 1, in, id, id, "", "0");
        assertMessage(messages.get(1), capture, 2, out, id, id, "", "0");
        assertMessage(messages.get(2), capture, 3, in, "client_id_abc", "client_id_abc", "", "0");
        assertMessage(messages.get(3), capture, 4, out, "client_id_abc", "client_id_abc", "", "0");

        JsonNode stats = ofType(lines, "statistics").get(0);
        assertThat(stats.path("last").asBoolean()).isTrue();
        JsonNode counters = stats.path("counters");
        assertThat(counters.path("messages").asLong()).isEqualTo(4);
        assertThat(counters.path("messages_in").asLong()).isEqualTo(format == CaptureFormat.RAW ? 0 : 2);
        assertThat(counters.path("messages_out").asLong()).isEqualTo(format == CaptureFormat.RAW ? 0 : 2);
        assertThat(counters.path("messages_unknown").asLong()).isEqualTo(format == CaptureFormat.RAW ? 4 : 0);
        assertThat(counters.path("commands").asLong()).isZero();
        assertThat(counters.path("feed_dropped").asLong()).isZero();
    }

    @Test
    void anEnvelopeFeedShowsTheClientsIdentityNotTheMetadata() throws Exception {
        // watch used to print the metadata frame as the identity: in   {"ts_ns":…,"seq":1,"dropped":0}  "0"
        MonitoredQueue queue = queue(CaptureFormat.ENVELOPE);
        CommandRun watch = closer.add(CommandRun.start("watch", "--color", "never", "-n", "2",
                ">" + address(queue.captureEndpoints())));
        assertThat(queue.awaitCaptureSubscriber(TIMEOUT)).as("watch subscribed; " + watch.err()).isTrue();

        request(queue, "client_id_abc");

        assertThat(watch.awaitExit(TIMEOUT)).as(watch.err()).isZero();
        assertThat(watch.outLines())
                .allMatch(line -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  .*"), "starts with the time")
                .extracting(line -> String.join(" ", line.substring(14).trim().split(" +")))
                .satisfiesExactly(
                        in -> assertThat(in).isEqualTo("in client_id_abc | \"0\""),
                        out -> assertThat(out).matches("out client_id_abc \\| \"0\" \\(reply in [0-9.]+ (µs|ms)\\)"));
        assertThat(watch.err()).contains("messages 2, messages in 1, messages out 1, messages unknown 0, commands 0");
    }

    @Test
    void theSummaryCountsForwardedSubscriptionsApartFromMessages() throws Exception {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket feed = feed(context);
            CommandRun watch = closer.add(CommandRun.start("watch", "--json", "-n", "5", ">" + feed.getLastEndpoint()));
            assertThat(feed.recv()).as("watch's subscription; " + watch.err()).isNotNull();

            // what a monitored XSUB/XPUB forwarder captures: subscriptions going upstream, then a publication
            send(feed, "out", "\u0001weather");
            send(feed, "out", "\u0001sports");
            send(feed, "out", "\u0000weather");
            send(feed, "out", "\u0000sports");
            send(feed, "in", "weather 1");

            assertThat(watch.awaitExit(TIMEOUT)).as(watch.err()).isZero();
            List<JsonNode> lines = JsonLines.parse(watch.outLines());
            assertThat(ofType(lines, "command")).extracting(c -> c.path("name").asText() + " "
                    + c.path("topic").path("text").asText() + " " + c.path("dir").asText())
                    .containsExactly("SUBSCRIBE weather out", "SUBSCRIBE sports out", "CANCEL weather out",
                            "CANCEL sports out");
            assertMessage(ofType(lines, "message").get(0), feed.getLastEndpoint(), 1, "in", null, "weather 1");
            JsonNode counters = ofType(lines, "statistics").get(0).path("counters");
            assertThat(counters.path("messages").asLong()).isEqualTo(1);
            assertThat(counters.path("messages_in").asLong()).isEqualTo(1);
            assertThat(counters.path("messages_out").asLong()).isZero();
            assertThat(counters.path("commands").asLong()).isEqualTo(4);
            assertThat(counters.path("received").asLong()).isEqualTo(5);
            assertThat(counters.path("dropped").asLong()).isZero();
        }
    }

    @Test
    void aRawFeedsMessagesAreCountedAsOfUnknownDirection() throws Exception {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket feed = feed(context);
            CommandRun watch = closer.add(CommandRun.start("watch", "--color", "never", "-n", "3",
                    ">" + feed.getLastEndpoint()));
            assertThat(feed.recv()).as("watch's subscription; " + watch.err()).isNotNull();

            // libzmq zmq_proxy's capture: the frames only
            send(feed, "client_a", "", "3");
            send(feed, "client_a", "", "6");
            send(feed, "no delimiter");

            assertThat(watch.awaitExit(TIMEOUT)).as(watch.err()).isZero();
            assertThat(watch.outLines()).extracting(line -> String.join(" ", line.substring(14).trim().split(" +")))
                    .containsExactly("? client_a | \"3\"", "? client_a | \"6\"", "? - \"no delimiter\"");
            assertThat(watch.err()).contains(
                    "summary", "messages 3, messages in 0, messages out 0, messages unknown 3, commands 0, received 3");
        }
    }

    @Test
    void rawPrintsEveryFrameAsReceivedAndHasAJsonForm() throws Exception {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket feed = feed(context);
            CommandRun text = closer.add(CommandRun.start("watch", "--raw", "-n", "1", ">" + feed.getLastEndpoint()));
            CommandRun json = closer.add(CommandRun.start("watch", "--raw", "--json", "-n", "1",
                    ">" + feed.getLastEndpoint()));
            assertThat(feed.recv()).as("a subscription; " + text.err()).isNotNull();
            assertThat(feed.recv()).as("a subscription; " + json.err()).isNotNull();

            feed.sendMore("in");
            feed.sendMore("{\"ts_ns\":1764151502481234000,\"direction\":\"in\",\"seq\":1,\"dropped\":0}");
            feed.sendMore(new byte[] {0, 0x6b, (byte) 0x8b, 0x45, 0x67});
            feed.sendMore("");
            feed.send("0");

            assertThat(text.awaitExit(TIMEOUT)).as(text.err()).isZero();
            assertThat(json.awaitExit(TIMEOUT)).as(json.err()).isZero();
            assertThat(text.outLines()).containsExactly("[b'in', b'{\"ts_ns\":1764151502481234000,\"direction\":\"in\","
                    + "\"seq\":1,\"dropped\":0}', b'\\x00k\\x8bEg', b'', b'0']");
            JsonNode raw = ofType(JsonLines.parse(json.outLines()), "raw").get(0);
            assertThat(raw.path("v").asInt()).isEqualTo(1);
            assertThat(raw.path("ts").asText()).matches(JsonLines.TS);
            assertThat(raw.path("source").asText()).isEqualTo(feed.getLastEndpoint());
            assertThat(raw.path("frames").toString()).isEqualTo("[{\"text\":\"in\"},{\"text\":\"{\\\"ts_ns\\\":"
                    + "1764151502481234000,\\\"direction\\\":\\\"in\\\",\\\"seq\\\":1,\\\"dropped\\\":0}\"},"
                    + "{\"hex\":\"006b8b4567\"},{\"text\":\"\"},{\"text\":\"0\"}]");
            assertThat(raw.path("size").asLong()).isEqualTo(2 + 66 + 5 + 0 + 1);
            // the counts still come from the decoded messages
            assertThat(ofType(JsonLines.parse(json.outLines()), "statistics").get(0).path("counters")
                    .path("messages_in").asLong()).isEqualTo(1);
        }
    }

    @Test
    void formatAndMaxMessageAreCheckedAndMaxFrameIsAHiddenAlias() {
        CliTest.Result bad = CliTest.run("watch", "--format", "pcap", ">tcp://127.0.0.1:1");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("zmqtap: unknown feed format 'pcap': expected auto, prefixed, raw or envelope"
                + System.lineSeparator());
        CliTest.Result alias = CliTest.run("watch", "--max-frame", "lots", ">tcp://127.0.0.1:1");
        assertThat(alias.exit()).isEqualTo(2);
        assertThat(alias.err()).startsWith("zmqtap: bad --max-frame 'lots'");
        CliTest.Result help = CliTest.run("watch", "--help");
        assertThat(help.out()).contains("--max-message", "--format", "auto decides for each message")
                .doesNotContain("--max-frame");
    }

    private MonitoredQueue queue(CaptureFormat format) {
        DoublingServer server = closer.add(DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter())));
        return closer.add(MonitoredQueue.builder()
                .frontend("@tcp://127.0.0.1:*")
                .backend(">" + address(server.endpoints()))
                .capture("@tcp://127.0.0.1:*")
                .captureFormat(format)
                .start());
    }

    /** One request "0" from a REQ client, and its reply. */
    private static void request(MonitoredQueue queue, String identity) {
        StringWriter results = new StringWriter();
        DoublingClient.run(">" + address(queue.frontendEndpoints()), identity, 1, TIMEOUT, new PrintWriter(results, true));
        assertThat(results.toString()).isEqualTo("0 result:  0" + System.lineSeparator());
    }

    /** A feed made by hand: an XPUB on a loopback port that reports its subscriber. */
    private static ZMQ.Socket feed(ZContext context) {
        ZMQ.Socket pub = context.createSocket(SocketType.XPUB);
        pub.setLinger(0);
        pub.setXpubVerbose(true);
        pub.setReceiveTimeOut((int) TIMEOUT.toMillis());
        pub.bind("tcp://127.0.0.1:*");
        return pub;
    }

    private static void send(ZMQ.Socket s, String... frames) {
        for (int i = 0; i < frames.length; i++) {
            byte[] f = frames[i].getBytes(StandardCharsets.UTF_8);
            assertThat(i < frames.length - 1 ? s.sendMore(f) : s.send(f)).isTrue();
        }
    }

    private static String address(List<String> endpoints) {
        return endpoints.get(0).substring(1);
    }
}
