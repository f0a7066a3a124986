package io.zmqtap.cli;

import static io.zmqtap.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.sink.CaptureFileSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --redact} on every output: text, {@code -x}, {@code --detail full}, JSON lines,
 * stderr, and a recording read back (and its bytes on disk) never show a payload or a subscription
 * topic; routing ids and sizes stay.
 */
class RedactOptionTest {
    private static final String SECRET = "card-4111111111111111";
    private static final String TOPIC = "acct-secret-topic";
    private static final Instant T = Instant.parse("2026-11-26T10:15:02Z");

    @TempDir
    Path dir;

    private Path recording;

    @BeforeEach
    void recordASecret() {
        recording = dir.resolve("secret.zcap");
        Frame rid = Frame.of("client_a");
        try (Sink rec = CaptureFileSink.to(recording).writer("test", "test").open()) {
            rec.accept(new HandshakeEvent(T, "proxy", "c1", Direction.IN, "3.1", "NULL", false, "REQ", rid, Map.of()));
            rec.accept(new CommandEvent(T, "proxy", "c1", Direction.IN, "SUBSCRIBE", Frame.of(TOPIC), ""));
            rec.accept(new MessageEvent(T, "proxy", "c1", 1, Direction.IN, rid,
                    List.of(rid, Frame.EMPTY, Frame.of(SECRET)), true));
            rec.accept(new MessageEvent(T.plusMillis(1), "proxy", "c1", 2, Direction.OUT, rid,
                    List.of(rid, Frame.EMPTY, Frame.of(SECRET.getBytes()), Frame.of(new byte[] {1, 2, 3})), true));
        }
    }

    private static void assertNoSecret(CliTest.Result r) {
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).doesNotContain(SECRET).doesNotContain(TOPIC).doesNotContain("4111")
                .doesNotContain("63617264"); // "card" in hex
    }

    @Test
    void withoutRedactTheSecretShowsSoTheTestCanSeeIt() {
        CliTest.Result r = run("read", recording.toString(), "--color", "never", "--json");
        assertThat(r.out()).contains(SECRET).contains(TOPIC);
    }

    @Test
    void textHexdumpAndFullDetailShowSizesAndRoutingIdsOnly() {
        CliTest.Result text = run("read", recording.toString(), "--color", "never", "--redact");
        assertNoSecret(text);
        assertThat(text.out()).contains("client_a").contains("(redacted 21 B)").contains("(redacted 17 B)");
        CliTest.Result hex = run("read", recording.toString(), "--color", "never", "--redact", "-x");
        assertNoSecret(hex);
        assertThat(hex.out()).contains("      (redacted 21 B)").contains("      (redacted 3 B)");
        assertNoSecret(run("read", recording.toString(), "--color", "never", "--redact", "--detail", "full"));
    }

    @Test
    void jsonLinesMarkEachMaskedFrameWithItsSize() {
        CliTest.Result json = run("read", recording.toString(), "--json", "--redact");
        assertNoSecret(json);
        assertThat(json.out()).contains("\"frames\":[{\"text\":\"client_a\"},{\"text\":\"\"},{\"redacted\":true,\"size\":21}]")
                .contains("\"topic\":{\"redacted\":true,\"size\":17}");
    }

    @Test
    void aRedactedRecordingHoldsNoSecretAndReadsBackRedacted() throws IOException {
        Path again = dir.resolve("again.zcap");
        assertNoSecret(run("read", recording.toString(), "--color", "never", "--redact", "--write", again.toString()));
        assertThat(gunzip(again)).doesNotContain(SECRET).doesNotContain(TOPIC).contains("\"redacted\":true");
        CliTest.Result back = run("read", again.toString(), "--color", "never"); // no --redact: the file has none
        assertNoSecret(back);
        assertThat(back.out()).contains("(redacted 21 B)");
        CliTest.Result backJson = run("read", again.toString(), "--json");
        assertNoSecret(backJson);
        assertThat(backJson.out()).contains("{\"redacted\":true,\"size\":21}");
    }

    @Test
    void sniffRefusesToRedactRawPackets() {
        CliTest.Result r = run("sniff", "--redact", "--write", dir.resolve("x.pcap").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("zmqtap: --redact cannot mask the raw packets of --write " + dir.resolve("x.pcap")
                + ": record events instead, e.g. --write capture.zcap" + System.lineSeparator());
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
