package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.example.DoublingClient;
import io.zmqtap.example.DoublingServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code zmqtap queue} as its own process, stopped the way people stop it: with a signal. */
class QueueProcessTest {
    private static final Pattern FRONTEND = Pattern.compile("frontend ROUTER @(tcp://127\\.0\\.0\\.1:\\d+)");

    @Test
    void sigtermClosesTheQueueAndPrintsItsSummary() throws Exception {
        StringWriter serverLog = new StringWriter();
        try (DoublingServer server = DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(serverLog, true))) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process queue = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    ZmqTap.class.getName(), "queue", "--color", "never",
                    "--in", "@tcp://127.0.0.1:*", "--out", ">" + server.endpoints().get(0).substring(1),
                    "--mon", "@tcp://127.0.0.1:*"))
                    .redirectErrorStream(true)
                    .start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(queue.getInputStream(), StandardCharsets.UTF_8))) {
                String started = out.readLine();
                assertThat(started).startsWith("zmqtap queue: frontend ROUTER @tcp://127.0.0.1:")
                        .contains("(engine wire, capture format prefixed");
                Matcher m = FRONTEND.matcher(started);
                assertThat(m.find()).isTrue();

                StringWriter results = new StringWriter();
                DoublingClient.run(">" + m.group(1), "client_id_abc", 3, Duration.ofSeconds(5), new PrintWriter(results, true));
                assertThat(results.toString()).contains("2 result:  4");

                queue.toHandle().destroy(); // SIGTERM, keeping our end of its output open
                assertThat(queue.waitFor(10, TimeUnit.SECONDS)).isTrue();
                // Each request [id(13), "", "n"] and reply [id, "", "2n"] is 14 bytes; captures are 2 per round trip.
                assertThat(out.readLine()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  summary [0-9.]+ s: "
                        + "frontend messages in 3, frontend bytes in 42, frontend messages out 3, frontend bytes out 42, "
                        + "backend messages in 3, backend bytes in 42, backend messages out 3, backend bytes out 42, "
                        + "captured 6, capture dropped 0, undeliverable 0, unanswered 0, notices 0, memory used .*");
                assertThat(out.readLine()).as("the server, as a peer").matches("  server 127\\.0\\.0\\.1:\\d+ +in 3  out 3 .*");
            } finally {
                queue.destroyForcibly();
                queue.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
