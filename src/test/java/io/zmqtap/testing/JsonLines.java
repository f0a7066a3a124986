package io.zmqtap.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.event.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON lines of zmqtap's event schema ({@code docs/json.md}), parsed, with the checks every
 * source's message lines must pass.
 *
 * <pre>{@code
 * List<JsonNode> lines = JsonLines.parse(watch.outLines());
 * JsonLines.assertMessage(lines.get(0), "tcp://127.0.0.1:7777", 1, "in", "client_id_abc", "client_id_abc", "", "0");
 * }</pre>
 */
public final class JsonLines {
    /** RFC 3339 in UTC with nine fraction digits. */
    public static final String TS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z";

    private JsonLines() {}

    public static List<JsonNode> parse(List<String> lines) {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            try {
                nodes.add(EventJson.mapper().readTree(line));
            } catch (JsonProcessingException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return nodes;
    }

    /** The lines of {@code type}. */
    public static List<JsonNode> ofType(List<JsonNode> lines, String type) {
        return lines.stream().filter(n -> n.path("type").asText().equals(type)).toList();
    }

    /**
     * A message line: {@code "v":1}, the time, {@code source}, {@code seq}, {@code dir}, {@code
     * identity} (absent when null), every frame (text, or hex when given as {@code 0x…}) and the size.
     */
    public static void assertMessage(JsonNode m, String source, long seq, String dir, String identity, String... frames) {
        assertThat(m.path("v").asInt()).as("v in %s", m).isEqualTo(1);
        assertThat(m.path("type").asText()).as("type in %s", m).isEqualTo("message");
        assertThat(m.path("ts").asText()).as("ts in %s", m).matches(TS);
        assertThat(m.path("source").asText()).as("source in %s", m).isEqualTo(source);
        assertThat(m.path("seq").asLong()).as("seq in %s", m).isEqualTo(seq);
        assertThat(m.path("dir").asText()).as("dir in %s", m).isEqualTo(dir);
        if (identity == null) {
            assertThat(m.has("identity")).as("no identity in %s", m).isFalse();
        } else {
            assertThat(m.path("identity").asText()).as("identity in %s", m).isEqualTo(identity);
        }
        List<String> shown = new ArrayList<>();
        long size = 0;
        for (JsonNode f : m.path("frames")) {
            shown.add(f.has("hex") ? "0x" + f.get("hex").asText() : f.get("text").asText());
            size += f.has("hex") ? f.get("hex").asText().length() / 2
                    : f.get("text").asText().getBytes(StandardCharsets.UTF_8).length;
        }
        assertThat(shown).as("frames in %s", m).containsExactly(frames);
        assertThat(m.path("size").asLong()).as("size in %s", m).isEqualTo(size);
    }
}
