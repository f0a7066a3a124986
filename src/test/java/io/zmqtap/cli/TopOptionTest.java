package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import picocli.CommandLine;

/** {@code --top} from the command line; output to a StringWriter is not a terminal, so plain lines. */
class TopOptionTest {
    @Test
    void aTappedConversationWithTopPrintsAScreenEachIntervalInsteadOfItsMessagesAndStopsCleanly() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ZmqTap.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
            rep.setReceiveTimeOut(10_000);
            int port = rep.bindToRandomPort("tcp://127.0.0.1");
            Future<Integer> code = pool.submit(() -> cl.execute("tap", "--listen", "tcp://127.0.0.1:0",
                    "--upstream", "tcp://127.0.0.1:" + port, "--top", "--stats", "100ms"));
            Pattern banner = Pattern.compile("zmqtap tap: listening on tcp://127\\.0\\.0\\.1:(\\d+),");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> banner.matcher(err.toString()).find());
            Matcher m = banner.matcher(err.toString());
            assertThat(m.find()).isTrue();
            ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
            req.setReceiveTimeOut(10_000);
            req.connect("tcp://127.0.0.1:" + m.group(1));
            req.send("3");
            assertThat(rep.recvStr()).isEqualTo("3");
            rep.send("6");
            assertThat(req.recvStr()).isEqualTo("6");

            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> out.toString().contains("messages 2  in 1  out 1"));
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> count(out.toString(), "zmqtap top  tcp://127.0.0.1:" + m.group(1) + "  up ") >= 3);
            ((TapCommand) cl.getSubcommands().get("tap").getCommand()).requestStop();

            assertThat(code.get(10, TimeUnit.SECONDS)).isZero();
            String text = out.toString();
            assertThat(text).doesNotContain("\u001b").doesNotContain("\"3\"").doesNotContain("summary")
                    .contains("PEER ", "drops: ", "events dropped 0", "requests: unanswered 0  awaiting reply 0");
            assertThat(text).containsPattern("\nclient c1 +[0-9.]+ +[0-9.]+ +\\d+ B +[0-9.]+ [µm]s ");
            assertThat(err.toString()).as("the summary as without --top")
                    .containsPattern("summary [\\d.]+ s: .*messages in 1, messages out 1,");
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void topIsRefusedWhereItCannotWork() {
        CliTest.Result json = CliTest.run("tap", "--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:5555",
                "--top", "--json");
        assertThat(json.exit()).isEqualTo(2);
        assertThat(json.err()).isEqualTo("zmqtap: --top draws a screen for people and cannot be combined with --json"
                + " (use --json --stats TIME for statistics lines)\n");

        CliTest.Result read = CliTest.run("read", "no-such.pcap", "--top");
        assertThat(read.exit()).isEqualTo(2);
        assertThat(read.err()).isEqualTo("zmqtap: --top watches a live source, not a file:"
                + " use --quiet for the file's summary\n");

        CliTest.Result raw = CliTest.run("watch", ">tcp://127.0.0.1:1", "--top", "--raw");
        assertThat(raw.exit()).isEqualTo(2);
        assertThat(raw.err()).isEqualTo("zmqtap: --top and --raw both replace the lines printed per message:"
                + " choose one\n");
    }

    @Test
    void theDemoWithTopEndsWithItsSummaryAndNoConversation() {
        CliTest.Result r = CliTest.run("demo", "--top", "--count", "3", "--color", "never");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("-- client").doesNotContain("\"3\"")
                .containsPattern("summary [\\d.]+ s: messages 12, messages in 6, messages out 6");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
