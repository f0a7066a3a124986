package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.testing.JsonLines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zmqtap read --json} in a JVM of 64 MiB on a capture where one well-behaved REQ/REP
 * conversation is interleaved with hostile peers ({@link HostileCapture}): frames announced at 1 MiB
 * - 1 and 2<sup>63</sup> - 1 bytes that trickle in, a message of 300,000 frames that never ends,
 * 3,000 half handshakes, 2,000 connections holding a million one-byte segments ahead of holes,
 * garbage after a greeting, and 700 flows that cannot be decoded. This is the path {@code sniff}
 * takes after libpcap. Every message of the good conversation comes out, paired; the hostile flows
 * are reported, each once; the counters add up; memory stays within the heap.
 */
class HostileCaptureProcessTest {
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    @Test
    void aWellBehavedConversationIsDecodedWholeAmongHostilePeersInASmallHeap() throws Exception {
        Path file = dir.resolve("hostile.pcap");
        long packets = HostileCapture.write(file);
        Path out = dir.resolve("out.jsonl");
        Path err = dir.resolve("err.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process read = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), "io.zmqtap.cli.ZmqTap", "read", file.toString(), "--json"))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(read.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("read ended within %d s", TIMEOUT_SECONDS).isTrue();
        } finally {
            read.destroyForcibly();
            read.waitFor(10, TimeUnit.SECONDS);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(read.exitValue()).as(stderr).isZero();
        assertThat(stderr).doesNotContain("OutOfMemoryError").doesNotContain("Exception").doesNotContain("\tat ");

        List<JsonNode> events = JsonLines.parse(Files.readAllLines(out, StandardCharsets.UTF_8));
        Map<String, String> connByClient = new HashMap<>();
        for (JsonNode e : JsonLines.ofType(events, "connection")) {
            connByClient.put(e.path("client").asText(), e.path("conn").asText());
        }
        String good = connByClient.get(HostileCapture.GOOD + ":40000");
        assertThat(good).as("the good conversation's connection").isNotNull();

        // every request and reply of the good conversation, in order, each reply paired with its request
        List<JsonNode> goodMessages = JsonLines.ofType(events, "message").stream()
                .filter(m -> m.path("conn").asText().equals(good)).toList();
        assertThat(goodMessages).hasSize(2 * HostileCapture.ROUNDS);
        for (int i = 0; i < HostileCapture.ROUNDS; i++) {
            JsonNode request = goodMessages.get(2 * i);
            JsonNode reply = goodMessages.get(2 * i + 1);
            assertThat(text(request)).isEqualTo("request " + i);
            assertThat(request.path("identity").asText()).isEqualTo("good");
            assertThat(text(reply)).isEqualTo("reply " + i);
            assertThat(reply.path("reply_to").asLong()).as("reply %d paired", i).isEqualTo(request.path("seq").asLong());
            assertThat(reply.path("latency_us").asDouble()).as("reply %d's latency", i).isPositive();
        }
        assertThat(JsonLines.ofType(events, "message")).as("no message from any hostile peer").hasSize(goodMessages.size());

        // protocol errors: at most one per connection and direction, and the ones the attack must cause
        List<JsonNode> errors = JsonLines.ofType(events, "protocol_error");
        assertThat(errors.stream().collect(Collectors.groupingBy(e -> e.path("conn").asText() + e.path("dir").asText(),
                Collectors.counting()))).allSatisfy((conn, n) -> assertThat(n).as(conn).isEqualTo(1));
        assertThat(errorsOf(errors, connByClient, HostileCapture.GARBAGE)).singleElement()
                .satisfies(e -> assertThat(e.path("message").asText()).startsWith("bad frame flags"));
        assertThat(errorsOf(errors, connByClient, HostileCapture.TOO_HUGE)).singleElement()
                .satisfies(e -> assertThat(e.path("message").asText()).contains("exceeds"));
        assertThat(errorsOf(errors, connByClient, HostileCapture.ENDLESS)).singleElement()
                .satisfies(e -> assertThat(e.path("message").asText()).contains("frames"));
        assertThat(errors).noneMatch(e -> e.path("conn").asText().equals(good));

        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("statistics");
        JsonNode c = last.path("counters");
        assertThat(c.path("segments").asLong()).isEqualTo(packets);
        assertThat(c.path("flows").asLong()).isEqualTo(HostileCapture.FLOWS);
        assertThat(c.path("zeromq_flows").asLong()).isEqualTo(HostileCapture.ZEROMQ_FLOWS);
        assertThat(c.path("ignored_flows").asLong()).isEqualTo(HostileCapture.NOT_ZEROMQ + HostileCapture.MID_STREAM);
        assertThat(c.path("zeromq_flows").asLong() + c.path("ignored_flows").asLong()).isEqualTo(c.path("flows").asLong());
        assertThat(c.path("gaps").asLong()).as("each hole given up once").isEqualTo(HostileCapture.HOLES);
        assertThat(c.path("held_bytes").asLong()).isZero();
        assertThat(c.path("peak_held_bytes").asLong()).isPositive()
                .isLessThanOrEqualTo(TcpReassembler.Options.defaults().maxHeldTotal());
        assertThat(c.path("unanswered").asLong()).isZero();

        // the flows nobody could decode are told once, in one notice
        assertThat(JsonLines.ofType(events, "notice").stream().filter(n -> n.path("text").asText().contains("were not decoded")))
                .singleElement().satisfies(n -> assertThat(n.path("text").asText())
                        .contains(HostileCapture.NOT_ZEROMQ + HostileCapture.MID_STREAM + " TCP connections")
                        .contains(HostileCapture.MID_STREAM + " of them started before the capture")
                        .contains("6001").contains("--port"));
    }

    private static String text(JsonNode message) {
        JsonNode frames = message.path("frames");
        return frames.get(frames.size() - 1).path("text").asText();
    }

    private static List<JsonNode> errorsOf(List<JsonNode> errors, Map<String, String> connByClient, String client) {
        String conn = connByClient.get(client + ":40000");
        assertThat(conn).as("the connection of %s", client).isNotNull();
        List<JsonNode> of = new ArrayList<>();
        errors.stream().filter(e -> e.path("conn").asText().equals(conn)).forEach(of::add);
        return of;
    }
}
