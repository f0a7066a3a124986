package io.zmqtap.cli;

import static io.zmqtap.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.replay.Recordings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code zmqtap replay} against the example server. */
@Timeout(60)
class ReplayCommandTest {
    private static final List<String> REQUESTS = List.of("1", "2", "3", "4", "5");

    @TempDir
    Path dir;

    private DoublingServer server;
    private String to;

    @BeforeEach
    void startServer() {
        server = DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter()));
        to = ">" + server.endpoints().get(0).substring(1);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** A REQ session with the example server, recorded; {@code replies} as recorded. */
    private Path recording(String name, List<String> replies) {
        return new Recordings().reqSession("c1", 2, REQUESTS, replies).writeTo(dir.resolve(name));
    }

    @Test
    void oneChangedReplyIsReportedAndTheExitCodeSaysSo() {
        Path changed = recording("changed.zcap", List.of("2", "4", "7", "8", "10"));
        CliTest.Result r = run("replay", changed.toString(), "--to", to);
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.outLines()).containsExactly(
                "#5 c1 \"3\" → recorded | \"7\", now | \"6\" (frame 2 differs at byte 0)",
                "replayed 5 requests: 4 same, 1 differs, 0 unanswered");

        Path same = recording("same.zcap", List.of("2", "4", "6", "8", "10"));
        CliTest.Result ok = run("replay", same.toString(), "--to", to, "--speed", "max");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.outLines()).containsExactly("replayed 5 requests: 5 same, 0 differ, 0 unanswered");
        assertThat(ok.err()).isEmpty();
    }

    @Test
    void allShowsEveryRequestAndTheFilterPicksSome() {
        Path changed = recording("changed.zcap", List.of("2", "4", "7", "8", "10"));
        CliTest.Result all = run("replay", changed.toString(), "--to", to, "--all");
        assertThat(all.outLines()).hasSize(6).contains("#1 c1 \"1\" → | \"2\" (same)");

        CliTest.Result some = run("replay", changed.toString(), "--to", to, "--filter", "payload ~ \"^[45]$\"");
        assertThat(some.exit()).as(some.err()).isZero();
        assertThat(some.outLines()).containsExactly(
                "replayed 2 requests: 2 same, 0 differ, 0 unanswered (3 left out by --filter)");

        CliTest.Result none = run("replay", changed.toString(), "--to", to, "--filter", "payload ~ \"nope\"");
        assertThat(none.exit()).isZero();
        assertThat(none.err()).startsWith("zmqtap replay: nothing to replay: no request from a REQ or DEALER client "
                + "that --filter selects in ");
    }

    @Test
    void jsonGivesALinePerRequestAndASummary() throws Exception {
        Path changed = recording("changed.zcap", List.of("2", "4", "7", "8", "10"));
        CliTest.Result r = run("replay", changed.toString(), "--to", to, "--json");
        assertThat(r.exit()).isEqualTo(1);
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = r.outLines().stream().map(l -> {
            try {
                return mapper.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        assertThat(lines).hasSize(6);
        JsonNode differs = lines.stream().filter(l -> l.path("result").asText().equals("differs")).findFirst()
                .orElseThrow();
        assertThat(differs.toString()).startsWith("{\"type\":\"replay\",\"seq\":5,\"conn\":\"c1\",\"result\":\"differs\","
                + "\"request\":[{\"text\":\"3\"}],\"recorded\":[{\"text\":\"\"},{\"text\":\"7\"}],"
                + "\"reply\":[{\"text\":\"\"},{\"text\":\"6\"}],\"latency_us\":");
        assertThat(differs.get("frame").asInt()).isEqualTo(2);
        assertThat(differs.get("byte").asInt()).isZero();
        assertThat(lines.get(5).toString()).isEqualTo("{\"type\":\"replay_summary\",\"requests\":5,\"same\":4,"
                + "\"differs\":1,\"unanswered\":0,\"unrecorded\":0,\"late\":0,\"filtered_out\":0,\"ok\":false}");
    }

    @Test
    void redactMasksWhatIsPrintedButTheRepliesAreComparedByTheirBytes() throws Exception {
        Path changed = recording("changed.zcap", List.of("2", "4", "7", "8", "10"));
        CliTest.Result r = run("replay", changed.toString(), "--to", to, "--redact");
        assertThat(r.exit()).as(r.err()).isEqualTo(1); // "6" is still not the recorded "7"
        assertThat(r.outLines()).containsExactly(
                "#5 c1 (redacted 1 B) → recorded | (redacted 1 B), now | (redacted 1 B) (frame 2 differs at byte 0)",
                "replayed 5 requests: 4 same, 1 differs, 0 unanswered");

        CliTest.Result all = run("replay", changed.toString(), "--to", to, "--redact", "--all");
        assertThat(all.outLines()).contains("#1 c1 (redacted 1 B) → | (redacted 1 B) (same)");

        CliTest.Result json = run("replay", changed.toString(), "--to", to, "--redact", "--json");
        JsonNode differs = new ObjectMapper().readTree(json.outLines().stream()
                .filter(l -> l.contains("\"differs\"")).findFirst().orElseThrow());
        assertThat(differs.toString()).startsWith("{\"type\":\"replay\",\"seq\":5,\"conn\":\"c1\","
                + "\"result\":\"differs\",\"request\":[{\"redacted\":true,\"size\":1}],"
                + "\"recorded\":[{\"text\":\"\"},{\"redacted\":true,\"size\":1}],"
                + "\"reply\":[{\"text\":\"\"},{\"redacted\":true,\"size\":1}],\"latency_us\":");
        assertThat(differs.get("diff").asText()).isEqualTo("frame 2 differs at byte 0");
        assertThat(json.out() + json.err()).doesNotContain("\"7\"").doesNotContain("\"6\"");
    }

    @Test
    void aPcapFileIsReplayedToo() {
        // reqrep.pcap holds a REQ asking the example server 0, 1 and 2
        CliTest.Result r = run("replay", "src/test/resources/pcap/reqrep.pcap", "--to", to, "--speed", "max", "--all");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).containsExactly("#1 c1 \"0\" → | \"0\" (same)", "#3 c1 \"1\" → | \"2\" (same)",
                "#5 c1 \"2\" → | \"4\" (same)", "replayed 3 requests: 3 same, 0 differ, 0 unanswered");
    }

    @Test
    void usageErrorsAreOneLine() {
        Path rec = recording("r.zcap", List.of("2", "4", "6", "8", "10"));
        assertUsage(run("replay", rec.toString(), "--to", to, "--speed", "fast"),
                "bad --speed 'fast': expected e.g. 1x, 2x, 0.5x or max");
        assertUsage(run("replay", rec.toString(), "--to", to, "--timeout", "5"),
                "bad --timeout '5': add a unit, e.g. 5s or 5ms");
        assertUsage(run("replay", rec.toString(), "--to", "tcp//x"),
                "bad endpoint 'tcp//x': expected transport://address, e.g. @tcp://*:4444");
        assertUsage(run("replay", rec.toString(), "--to", "@tcp://*:5555"),
                "cannot replay to @tcp://*:5555: the server is connected to, e.g. >tcp://localhost:5555");
        assertUsage(run("replay", dir.resolve("missing.zcap").toString(), "--to", to),
                "cannot read " + dir.resolve("missing.zcap") + ": no such file");
        assertThat(run("replay", rec.toString()).err()).startsWith("zmqtap: Missing required option: '--to=ENDPOINT'");
    }

    private static void assertUsage(CliTest.Result r, String line) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("zmqtap: " + line + System.lineSeparator());
    }
}
