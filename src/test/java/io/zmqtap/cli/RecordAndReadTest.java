package io.zmqtap.cli;

import static io.zmqtap.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --write} then {@code zmqtap read}: a recording shows what the run it recorded showed. */
class RecordAndReadTest {
    private static final String REQREP = "src/test/resources/pcap/reqrep.pcap";

    @TempDir
    Path dir;

    private static List<String> withoutStatistics(List<String> jsonLines) {
        return jsonLines.stream().filter(l -> !l.contains("\"type\":\"statistics\"")).toList();
    }

    @Test
    void readingARecordingPrintsTheLinesTheRecordedRunPrinted() {
        Path rec = dir.resolve("reqrep.zcap");
        CliTest.Result original = run("read", REQREP, "--color", "never", "--write", rec.toString());
        assertThat(original.exit()).as(original.err()).isZero();
        assertThat(original.outLines()).hasSizeGreaterThan(6);

        CliTest.Result again = run("read", rec.toString(), "--color", "never");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.outLines()).containsExactlyElementsOf(original.outLines());
        assertThat(again.err()).contains("latency"); // its own summary, from the recorded pairing

        CliTest.Result json = run("read", REQREP, "--json");
        CliTest.Result jsonAgain = run("read", rec.toString(), "--json");
        assertThat(withoutStatistics(jsonAgain.outLines())).containsExactlyElementsOf(withoutStatistics(json.outLines()))
                .anySatisfy(l -> assertThat(l).contains("\"reply_to\":"));
    }

    @Test
    void aRecordingCutInTheMiddleShowsWhatCameBeforeThenOneLineWithTheOffset() throws IOException {
        Path rec = dir.resolve("whole.zcap");
        assertThat(run("read", REQREP, "--write", rec.toString()).exit()).isZero();
        byte[] whole = Files.readAllBytes(rec);
        Path cut = Files.write(dir.resolve("cut.zcap"), Arrays.copyOf(whole, whole.length - 40));
        CliTest.Result r = run("read", cut.toString(), "--color", "never");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().filter(l -> l.startsWith("zmqtap: "))).singleElement().asString()
                .matches("zmqtap: " + java.util.regex.Pattern.quote(cut.toString())
                        + ": (cut at byte \\d+ in the middle of a record|ends at byte \\d+ without its capture_end line).*");
    }

    @Test
    void severalFilesAreReadInOrderAsOne() {
        Path a = dir.resolve("a.zcap");
        Path b = dir.resolve("b.zcap");
        assertThat(run("read", REQREP, "--write", a.toString()).exit()).isZero();
        assertThat(run("read", REQREP, "--write", b.toString()).exit()).isZero();
        CliTest.Result one = run("read", a.toString(), "--color", "never");
        CliTest.Result two = run("read", a.toString(), b.toString(), "--color", "never");
        assertThat(two.exit()).as(two.err()).isZero();
        assertThat(two.outLines()).hasSize(2 * one.outLines().size());
        CliTest.Result mixed = run("read", a.toString(), REQREP);
        assertThat(mixed.exit()).isEqualTo(2);
        assertThat(mixed.err()).startsWith("zmqtap: cannot read " + REQREP + " with " + a + ": one is a pcap file");
    }

    @Test
    void onlySniffWritesPacketsToAPcapName() {
        CliTest.Result tap = run("tap", "--listen", "tcp://127.0.0.1:0", "--upstream", "tcp://127.0.0.1:1",
                "--write", dir.resolve("seen.pcap").toString());
        assertThat(tap.exit()).isEqualTo(2);
        assertThat(tap.err()).isEqualTo("zmqtap: --write " + dir.resolve("seen.pcap") + ": only sniff writes packets "
                + "(pcap); tap records events: use a name such as capture.zcap" + System.lineSeparator());
        CliTest.Result read = run("read", REQREP, "--write", dir.resolve("again.pcap.gz").toString());
        assertThat(read.exit()).isEqualTo(2);
        assertThat(read.err()).contains("only sniff writes packets");

        WriteOptions sniff = new WriteOptions();
        sniff.write = dir.resolve("seen.pcap");
        PrintWriter err = new PrintWriter(new StringWriter());
        assertThat(sniff.sink("sniff", true, err)).as("sniff: packets, not events").isNull();
        assertThat(sniff.packetFile()).isEqualTo(dir.resolve("seen.pcap"));
        sniff.write = dir.resolve("seen.zcap");
        assertThat(sniff.packetFile()).isNull();
        try (var events = sniff.sink("sniff", true, err)) {
            assertThat(events).as("sniff: any other name records events").isNotNull();
        }
    }

    @Test
    void rotateNeedsWriteAndASizeOrATime() {
        assertThat(run("read", REQREP, "--rotate", "1h").err()).isEqualTo("zmqtap: --rotate needs --write FILE"
                + System.lineSeparator());
        CliTest.Result bad = run("read", REQREP, "--write", dir.resolve("r.zcap").toString(), "--rotate", "100");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).startsWith("zmqtap: bad --rotate '100'");
        CliTest.Result ok = run("read", REQREP, "--write", dir.resolve("r.zcap").toString(), "--rotate", "100MB");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(dir.resolve("r-00001.zcap")).exists();
    }

    @Test
    void helpListsTheRecordingOptionsOnEveryCommandThatShowsEvents() {
        for (String command : List.of("tap", "watch", "queue", "proxy", "sniff", "read")) {
            StringWriter help = new StringWriter();
            CommandLine cl = ZmqTap.commandLine().getSubcommands().get(command);
            cl.usage(new PrintWriter(help));
            assertThat(help.toString()).as(command).contains("--write=FILE").contains("--rotate=SIZE|TIME");
        }
    }
}
