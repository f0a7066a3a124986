package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.example.DoublingClient;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.sink.JsonSink;
import io.zmqtap.testing.Closer;
import io.zmqtap.testing.CommandRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code queue --show} and {@code proxy --show}: what they forward, printed as {@code watch} prints it. */
class QueueShowTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The frontend in the banner, in text or JSON. */
    private static final Pattern FRONTEND = Pattern.compile(
            "(?:frontend ROUTER @|\"frontend\":\\[\"@)(tcp://127\\.0\\.0\\.1:\\d+)");

    private final Closer closer = new Closer();

    @AfterEach
    void closeAll() {
        closer.close();
    }

    private String server() {
        DoublingServer server = closer.add(DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter())));
        return ">" + server.endpoints().get(0).substring(1);
    }

    /** Waits for the banner on stderr and gives the frontend's address. */
    private static String frontend(CommandRun run) {
        await().atMost(TIMEOUT).until(() -> FRONTEND.matcher(run.err()).find());
        Matcher m = FRONTEND.matcher(run.err());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static void requests(String frontend, String identity, int count) {
        StringWriter results = new StringWriter();
        DoublingClient.run(">" + frontend, identity, count, TIMEOUT, new PrintWriter(results, true));
        assertThat(results.toString()).contains((count - 1) + " result:  " + 2 * (count - 1));
    }

    private static List<JsonNode> json(CommandRun run) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : run.outLines()) {
            lines.add(JsonSink.mapper().readTree(l));
        }
        return lines;
    }

    private static List<JsonNode> ofType(List<JsonNode> lines, String type) {
        return lines.stream().filter(o -> o.path("type").asText().equals(type)).toList();
    }

    private static String frames(JsonNode message) {
        return message.path("frames").toString();
    }

    @ParameterizedTest(name = "{0} engine")
    @ValueSource(strings = {"wire", "jeromq"})
    void queueShowJsonPrintsEveryFrameOfEveryMessageInTheSchema(String engine) throws Exception {
        CommandRun queue = closer.add(CommandRun.start("queue", "--show", "--json", "--engine", engine,
                "--frontend", "@tcp://127.0.0.1:*", "--backend", server(), "--capture", "none"));
        String frontend = frontend(queue);
        requests(frontend, "client_a", 2);
        requests(frontend, null, 1);
        await().atMost(TIMEOUT).until(() -> ofType(json(queue), "message").size() == 6);
        queue.close(); // as Ctrl-C: the summary follows

        List<JsonNode> lines = json(queue);
        List<JsonNode> messages = ofType(lines, "message");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            assertThat(m.path("v").asInt()).isEqualTo(1);
            assertThat(m.path("source").asText()).isEqualTo(frontend);
            assertThat(m.path("seq").asLong()).isEqualTo(i + 1);
            assertThat(m.path("dir").asText()).isEqualTo(i % 2 == 0 ? "in" : "out");
            assertThat(m.has("conn")).isFalse();
            assertThat(m.path("ts").asText()).endsWith("Z");
        }
        // every frame: the routing id the queue put in front, the delimiter, the payload
        assertThat(messages.get(0).path("identity").asText()).isEqualTo("client_a");
        assertThat(frames(messages.get(0))).isEqualTo("[{\"text\":\"client_a\"},{\"text\":\"\"},{\"text\":\"0\"}]");
        assertThat(messages.get(0).path("size").asLong()).isEqualTo(9);
        assertThat(frames(messages.get(3))).isEqualTo("[{\"text\":\"client_a\"},{\"text\":\"\"},{\"text\":\"2\"}]");
        JsonNode anonymous = messages.get(4);
        assertThat(anonymous.path("identity").asText()).matches("0x00[0-9a-f]{8}");
        assertThat(frames(anonymous)).isEqualTo("[{\"hex\":\"" + anonymous.path("identity").asText().substring(2)
                + "\"},{\"text\":\"\"},{\"text\":\"0\"}]");

        JsonNode summary = lines.get(lines.size() - 1);
        assertThat(summary.path("type").asText()).isEqualTo("statistics");
        assertThat(summary.path("last").asBoolean()).isTrue();
        assertThat(summary.path("source").asText()).isEqualTo(frontend);
        assertThat(summary.at("/counters/frontend_messages_in").asLong()).isEqualTo(3);
        assertThat(summary.at("/counters/backend_messages_in").asLong()).isEqualTo(3);
        assertThat(queue.err()).as("notices and statistics go with the events").doesNotContain("notice", "statistics");
    }

    @Test
    void queueShowPrintsTextAsWatchDoesWithTheSummaryOnStderr() {
        CommandRun queue = closer.add(CommandRun.start("queue", "--show", "--color", "never",
                "--in", "@tcp://127.0.0.1:*", "--out", server(), "--mon", "none"));
        String frontend = frontend(queue);
        requests(frontend, "client_a", 2);
        await().atMost(TIMEOUT).until(() -> queue.outLines().size() == 4);
        queue.close();

        assertThat(queue.outLines()).satisfiesExactly(
                l -> assertThat(l).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  in   client_a          \\| \"0\""),
                l -> assertThat(l).matches(".*  out  client_a          \\| \"0\"  \\(reply in [0-9.]+ (µs|ms)\\)"),
                l -> assertThat(l).endsWith("  in   client_a          | \"1\""),
                l -> assertThat(l).matches(".*  out  client_a          \\| \"2\"  \\(reply in [0-9.]+ (µs|ms)\\)"));
        assertThat(queue.err()).containsPattern("summary [0-9.]+ s: frontend messages in 2, ");
    }

    @Test
    void withoutShowNothingIsPrintedButTheSummary() throws Exception {
        CommandRun queue = closer.add(CommandRun.start("queue", "--json",
                "--frontend", "@tcp://127.0.0.1:*", "--backend", server(), "--capture", "none"));
        requests(frontend(queue), "client_a", 1);
        queue.close();
        List<JsonNode> lines = json(queue);
        assertThat(lines).singleElement().satisfies(s -> {
            assertThat(s.path("type").asText()).isEqualTo("statistics");
            assertThat(s.path("last").asBoolean()).isTrue();
            assertThat(s.at("/counters/frontend_messages_in").asLong()).isEqualTo(1);
        });
    }

    @Test
    void proxyTakesTheQueuesOptionNamesAndShowsToo() throws Exception {
        CommandRun proxy = closer.add(CommandRun.start("proxy", "queue", "--show", "--json", "--engine", "jeromq",
                "--in", "@tcp://127.0.0.1:*", "--out", server(), "--mon", "@tcp://127.0.0.1:*",
                "--mon-type", "xpub"));
        String frontend = frontend(proxy);
        assertThat(proxy.err()).contains("\"capture\":[\"@tcp://127.0.0.1:");
        requests(frontend, "client_b", 1);
        await().atMost(TIMEOUT).until(() -> ofType(json(proxy), "message").size() == 2);
        assertThat(ofType(json(proxy), "message")).extracting(m -> m.path("identity").asText())
                .containsExactly("client_b", "client_b");
    }
}
