package io.zmqtap.cli;

import static io.zmqtap.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.testing.JsonLines;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --filter EXPR}, shared by every command through {@link OutputOptions}. */
class FilterOptionTest {
    private static final String FILE = "src/test/resources/pcap/reqrep-identity.pcap";

    @Test
    void readShowsOnlyWhatTheFilterSelectsAndCountsWhatItHid() {
        CliTest.Result r = run("read", FILE, "--filter", "dir out", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> events = JsonLines.parse(r.outLines());
        List<JsonNode> messages = events.stream().filter(e -> e.path("type").asText().equals("message")).toList();
        assertThat(messages).hasSize(3).allSatisfy(m -> {
            assertThat(m.path("dir").asText()).isEqualTo("out");
            assertThat(m.path("reply_to").asLong()).as("paired: the hidden requests were seen").isPositive();
        });
        assertThat(events).filteredOn(e -> e.path("type").asText().equals("handshake"))
                .extracting(e -> e.path("socket_type").asText()).containsExactly("REP");
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("type").asText()).isEqualTo("statistics");
        assertThat(last.path("counters").path("messages").asLong()).isEqualTo(3);
        assertThat(last.path("counters").path("filtered_out").asLong()).isEqualTo(3);
        assertThat(last.path("counters").path("unanswered").asLong()).isZero();
    }

    @Test
    void aBadExpressionIsAUsageErrorNamingTheColumnWithACaretUnderIt() {
        CliTest.Result r = run("read", FILE, "--filter", "dir out and size >", "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        String nl = System.lineSeparator();
        assertThat(r.err()).isEqualTo("zmqtap: --filter: column 19: expected a size such as 100 or 1KiB after '>', "
                + "found end of input\n  dir out and size >\n                    ^" + nl);
    }

    @Test
    void everyCommandThatPrintsEventsOffersIt() {
        for (String command : List.of("queue", "proxy", "watch", "tap", "sniff", "read", "demo")) {
            assertThat(run(command, "--help").out()).as(command).contains("--filter=EXPR");
        }
    }
}
