package io.zmqtap.cli;

import static io.zmqtap.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.testing.BrokenWriter;
import io.zmqtap.testing.JsonLines;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * {@code zmqtap read} on the fixtures in src/test/resources/pcap, recorded from real libzmq peers
 * by the project's script ({@code record_fixtures.py}): the same events, schema and correlation as
 * every other source, honest about what a capture lacks.
 */
class ReadCommandTest {
    private static final String DIR = "src/test/resources/pcap/";

    private static List<JsonNode> json(String file, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "read";
        args[1] = DIR + file;
        args[2] = "--json";
        System.arraycopy(more, 0, args, 3, more.length);
        CliTest.Result r = run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return JsonLines.parse(r.outLines());
    }

    private static List<JsonNode> of(List<JsonNode> events, String type, Predicate<JsonNode> matching) {
        return events.stream().filter(e -> e.path("type").asText().equals(type)).filter(matching).toList();
    }

    private static List<JsonNode> messages(List<JsonNode> events) {
        return of(events, "message", e -> true);
    }

    private static String payload(JsonNode message) {
        JsonNode frames = message.path("frames");
        return frames.get(frames.size() - 1).path("text").asText();
    }

    @Test
    void aReqRepCaptureReadsAsTheTapShowsItWithEveryReplyPaired() {
        List<JsonNode> events = json("reqrep.pcap");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("v").asInt()).isEqualTo(1);
            assertThat(e.path("ts").asText()).matches(JsonLines.TS);
            assertThat(e.path("source").asText()).isEqualTo(DIR + "reqrep.pcap");
        });
        List<JsonNode> m = messages(events);
        assertThat(m).extracting(e -> e.path("dir").asText() + " " + payload(e))
                .containsExactly("in 0", "out 0", "in 1", "out 2", "in 2", "out 4");
        assertThat(m).allSatisfy(e -> {
            assertThat(e.path("conn").asText()).isEqualTo("c1");
            assertThat(e.path("frames").get(0).path("text").asText()).as("the REQ's delimiter").isEmpty();
        });
        for (int i = 1; i < m.size(); i += 2) {
            assertThat(m.get(i).path("reply_to").asLong()).isEqualTo(m.get(i - 1).path("seq").asLong());
            assertThat(m.get(i).path("latency_us").asDouble()).isPositive();
        }
        assertThat(of(events, "handshake", e -> true)).extracting(e -> e.path("socket_type").asText())
                .containsExactlyInAnyOrder("REQ", "REP");
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("statistics");
        assertThat(last.path("counters").path("zeromq_flows").asLong()).isEqualTo(1);
        assertThat(last.path("counters").path("gaps").asLong()).isZero();
        assertThat(last.path("counters").path("unanswered").asLong()).isZero();
    }

    @Test
    void pcapngAndPcapOfTheSameCaptureReadTheSame() {
        List<String> pcap = messages(json("reqrep.pcap")).stream().map(JsonNode::toString).toList();
        List<String> pcapng = messages(json("reqrep.pcapng")).stream().map(e -> e.toString()
                .replace("reqrep.pcapng", "reqrep.pcap")).toList();
        assertThat(pcapng).isEqualTo(pcap);
    }

    @Test
    void aClientIdentityFromTheHandshakeIsOnEveryMessage() {
        assertThat(messages(json("reqrep-identity.pcap"))).hasSize(6)
                .allSatisfy(e -> assertThat(e.path("identity").asText()).isEqualTo("client_a"));
    }

    @Test
    void subscriptionsAndPublishedMessages() {
        List<JsonNode> events = json("pubsub.pcap");
        assertThat(of(events, "command", e -> true)).singleElement().satisfies(c -> {
            assertThat(c.path("name").asText()).isEqualTo("SUBSCRIBE");
            assertThat(c.path("topic").path("text").asText()).isEqualTo("weather");
        });
        assertThat(messages(events)).isNotEmpty().allSatisfy(e -> {
            assertThat(e.path("dir").asText()).isEqualTo("out");
            assertThat(payload(e)).startsWith("weather ");
            assertThat(e.has("reply_to")).as("PUB/SUB is never paired").isFalse();
        });
    }

    @Test
    void dealersAnsweredOutOfOrderArePairedByTheirEnvelopeAndTheLostRequestIsListed() {
        List<JsonNode> events = json("dealer-router.pcap");
        List<JsonNode> m = messages(events);
        JsonNode r2 = of(events, "message", e -> e.path("dir").asText().equals("in")
                && e.path("frames").get(0).path("text").asText().equals("r2")).get(0);
        JsonNode two = of(events, "message", e -> payload(e).equals("TWO")).get(0);
        JsonNode r3 = of(events, "message", e -> payload(e).equals("three")).get(0);
        JsonNode three = of(events, "message", e -> payload(e).equals("THREE")).get(0);
        assertThat(two.path("reply_to").asLong()).isEqualTo(r2.path("seq").asLong());
        assertThat(three.path("reply_to").asLong()).isEqualTo(r3.path("seq").asLong());
        assertThat(m).hasSize(5);
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("counters").path("unanswered").asLong()).isEqualTo(1);
        JsonNode r1 = of(events, "message", e -> payload(e).equals("one")).get(0);
        assertThat(last.path("unanswered").get(0).path("seq").asLong()).isEqualTo(r1.path("seq").asLong());
        assertThat(last.path("unanswered").get(0).path("identity").asText()).isEqualTo("client_a");
    }

    @Test
    void aLostPacketIsANoticeAndNothingWrongIsShownAfterIt() {
        List<JsonNode> events = json("gap.pcap");
        assertThat(of(events, "notice", e -> e.path("text").asText().contains("not captured"))).hasSize(1);
        List<JsonNode> m = messages(events);
        // the second request is missing and only one request follows it: one segment start is not
        // enough to trust a frame boundary, so the client's side says it was counted, not decoded;
        // the replies are shown without pretending to know their request
        assertThat(m).extracting(e -> e.path("dir").asText() + " " + payload(e))
                .containsExactly("in 0", "out 0", "out 2", "out 4");
        assertThat(m.subList(2, 4)).allSatisfy(e -> assertThat(e.has("reply_to")).isFalse());
        assertThat(of(events, "notice", e -> e.path("text").asText().startsWith(
                "client \u2192 server: no frame boundary could be trusted after the gap"))).hasSize(1);
    }

    @Test
    void aConnectionJoinedAfterItsHandshakeIsDecodedFromATrustedFrameBoundaryAndSaysSo() {
        List<JsonNode> ignored = json("midstream.pcap");
        assertThat(messages(ignored)).isEmpty();
        assertThat(ignored.get(ignored.size() - 1).path("counters").path("ignored_flows").asLong()).isEqualTo(1);
        String port = serverPortOf("midstream.pcap");
        assertThat(of(ignored, "notice", e -> e.path("text").asText().contains("not decoded"))).as("why nothing was shown")
                .singleElement().satisfies(n -> {
                    assertThat(n.path("level").asText()).isEqualTo("warning");
                    assertThat(n.path("text").asText()).isEqualTo("1 TCP connection was not decoded: it started before the"
                            + " capture (no SYN, no greeting) on port " + port + " (1) — give --port PORT to decode a ZeroMQ"
                            + " port joined mid-stream");
                });

        List<JsonNode> withPort = json("midstream.pcap", "--port", port);
        assertThat(withPort.get(0).path("type").asText()).isEqualTo("notice");
        assertThat(withPort.get(0).path("text").asText()).startsWith("joined mid-stream (no SYN captured)");
        // requests "2", "3", "4" and replies "4", "6", "8", one segment each: the chain from the first
        // lands on the second (decoding starts there) and the third; the second may end a message,
        // so the first whole one is the third
        assertThat(messages(withPort)).extracting(e -> e.path("dir").asText() + " " + e.path("frames").toString())
                .containsExactly("in [{\"text\":\"\"},{\"text\":\"4\"}]", "out [{\"text\":\"\"},{\"text\":\"8\"}]");
        assertThat(of(withPort, "notice", e -> e.path("text").asText().contains(
                "decoded from the first whole message after byte 5, the first frame boundary trusted after joining mid-stream")))
                .extracting(e -> e.path("text").asText().substring(0, 15))
                .containsExactly("client \u2192 server", "server \u2192 client");
        assertThat(of(withPort, "protocol_error", e -> true)).isEmpty();
        JsonNode closed = of(withPort, "connection", e -> e.path("event").asText().equals("close")).get(0);
        assertThat(closed.path("bytes_in").asLong()).isEqualTo(15);
        assertThat(closed.path("messages_in").asLong()).isEqualTo(1);
        assertThat(of(withPort, "notice", e -> e.path("text").asText().contains("were not decoded"))).isEmpty();
    }

    @Test
    void quietPrintsOnlyTheSummaryYetCountsEveryMessageAndPairsEveryReply() {
        List<JsonNode> all = json("reqrep.pcap");
        List<JsonNode> quiet = json("reqrep.pcap", "--quiet");
        assertThat(quiet).extracting(e -> e.path("type").asText()).isSubsetOf("statistics", "notice").contains("statistics");
        JsonNode summary = quiet.get(quiet.size() - 1);
        JsonNode full = all.get(all.size() - 1);
        assertThat(summary.path("counters").path("messages").asLong()).isEqualTo(messages(all).size()).isPositive();
        assertThat(summary.path("peers")).isEqualTo(full.path("peers")); // latency included
        CliTest.Result text = run("read", DIR + "reqrep.pcap", "-q", "--color", "never");
        assertThat(text.exit()).isZero();
        assertThat(text.out()).isEmpty();
        assertThat(text.err()).contains("summary").contains("latency p50");
    }

    @Test
    void hexAndDeltaTimesDumpEveryFrameUnderItsMessageAndLeaveJsonAlone() {
        CliTest.Result r = run("read", DIR + "reqrep.pcap", "-x", "--time", "delta", "--color", "never");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines.subList(0, 3)).allSatisfy(l -> assertThat(l).matches(" \\+0\\.0000\\d\\d  c1  (in |out|open) .*"));
        assertThat(lines.subList(3, lines.size())).containsExactly(
                " +0.000130  c1  in   -                 | \"0\"",
                "    frame 1/2  more  0 B",
                "    frame 2/2  last  1 B",
                "      0000  30                                                |0|",
                " +0.000413  c1  out  -                 | \"0\"  (reply in 413 µs)",
                "    frame 1/2  more  0 B",
                "    frame 2/2  last  1 B",
                "      0000  30                                                |0|",
                " +0.000185  c1  in   -                 | \"1\"",
                "    frame 1/2  more  0 B",
                "    frame 2/2  last  1 B",
                "      0000  31                                                |1|",
                " +0.000051  c1  out  -                 | \"2\"  (reply in 51 µs)",
                "    frame 1/2  more  0 B",
                "    frame 2/2  last  1 B",
                "      0000  32                                                |2|",
                " +0.000188  c1  in   -                 | \"2\"",
                "    frame 1/2  more  0 B",
                "    frame 2/2  last  1 B",
                "      0000  32                                                |2|",
                " +0.000102  c1  out  -                 | \"4\"  (reply in 102 µs)",
                "    frame 1/2  more  0 B",
                "    frame 2/2  last  1 B",
                "      0000  34                                                |4|",
                " +0.000504  c1  close  127.0.0.1:48336 -> 127.0.0.1:37907  REQ -> REP  ZMTP 3.1 NULL"
                        + "  in 3 msgs 119 B  out 3 msgs 106 B");
        // the text options change nothing in JSON lines: ts stays UTC, every frame whole
        assertThat(messages(json("reqrep.pcap", "-x", "--time", "delta", "--detail", "full")))
                .isEqualTo(messages(json("reqrep.pcap")));
        assertThat(json("reqrep.pcap", "--detail", "summary")).extracting(e -> e.path("type").asText())
                .as("summary is --quiet").isSubsetOf("statistics", "notice").contains("statistics");
    }

    @Test
    void aBadDetailOrTimeIsOneLineListingTheChoices() {
        CliTest.Result detail = run("read", DIR + "reqrep.pcap", "--detail", "everything");
        assertThat(detail.exit()).isEqualTo(2);
        assertThat(detail.err()).startsWith("zmqtap: Invalid value for option '--detail': expected summary, messages, "
                + "frames or full").doesNotContain("Exception").hasLineCount(1);
        CliTest.Result time = run("read", DIR + "reqrep.pcap", "--time", "utc");
        assertThat(time.exit()).isEqualTo(2);
        assertThat(time.err()).startsWith("zmqtap: Invalid value for option '--time': expected absolute, delta, "
                + "relative or iso").hasLineCount(1);
    }

    @Test
    void aTruncatedFileShowsWhatCameBeforeTheDamageThenOneErrorWithItsOffset() {
        CliTest.Result r = run("read", DIR + "truncated.pcap", "--color", "never");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().filter(l -> l.startsWith("zmqtap: "))).singleElement().satisfies(l ->
                assertThat(l).matches("zmqtap: " + DIR + "truncated\\.pcap: truncated pcap file: packet record at byte"
                        + " [\\d,]+ needs \\d+ bytes, \\d+ left"));
        assertThat(r.out()).contains("  c1  ");
    }

    @Test
    void aMissingFileOrABadPortIsOneLine() {
        CliTest.Result missing = run("read", DIR + "nothing-here.pcap");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("zmqtap: cannot read " + DIR + "nothing-here.pcap: no such file"
                + System.lineSeparator());
        CliTest.Result port = run("read", DIR + "reqrep.pcap", "--port", "70000");
        assertThat(port.exit()).isEqualTo(2);
        assertThat(port.err()).startsWith("zmqtap: bad --port 70000: expected a TCP port, 1 to 65535");
    }

    /**
     * The server's port in a fixture whose first packet is a request (midstream.pcap): that
     * packet's destination port. Ethernet (14 B) and IPv4 (IHL) headers come before the TCP ports.
     */
    private static String serverPortOf(String file) {
        try {
            byte[] b = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(DIR + file));
            int tcp = 24 + 16 + 14 + (b[24 + 16 + 14] & 0x0f) * 4;
            return String.valueOf(((b[tcp + 2] & 0xff) << 8) | (b[tcp + 3] & 0xff));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anOutputThatThrowsIsOneLineAndAFailureNotASilentSuccess() {
        // stdout that breaks with an unchecked exception (a PrintWriter swallows only IOExceptions)
        CliTest.Result r = CliTest.run(new BrokenWriter("the output went away"), "read", DIR + "reqrep.pcap", "--json");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).containsPattern(
                "(?m)^zmqtap: [0-9,]+ events or summaries could not be written \\(the first: IllegalStateException: the output went away\\)$");
    }

    @Test
    void anOutputThatFailsLikeAFullDiskIsOneLineAndAFailure() {
        // a PrintWriter swallows the IOException (a full disk, a closed pipe) and only flags it
        CliTest.Result r = CliTest.run(BrokenWriter.ioError("No space left on device"), "read", DIR + "reqrep.pcap", "--json");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).containsPattern("(?m)^zmqtap: the output could not be written$");
    }
}
