package io.zmqtap.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/json.md shows a sample of every event type; each must be exactly what {@link EventJson}
 * writes for that event, so the document cannot drift from the code.
 */
class JsonSchemaDocTest {
    @Test
    void everySampleInTheDocumentIsWhatTheWriterWrites() throws IOException {
        List<String> doc = Files.readAllLines(Path.of("docs/json.md"));
        Map<String, CaptureEvent> samples = JsonSchemaSamples.all();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, CaptureEvent> s : samples.entrySet()) {
            String line = EventJson.toJson(s.getValue()).toString();
            if (!doc.contains(line)) {
                missing.add(s.getKey() + ":\n" + line);
            }
        }
        assertThat(missing).as("samples docs/json.md lacks (paste these)").isEmpty();
    }

    @Test
    void everyEventTypeHasASample() {
        assertThat(JsonSchemaSamples.all().values().stream().map(EventJson::type).distinct())
                .containsExactlyInAnyOrder("message", "handshake", "connection", "command", "notice", "protocol_error",
                        "statistics");
    }
}
