package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A run of one subcommand builds only that subcommand's model, and nothing it prints changes. */
class SubcommandLoadingTest {
    @Test
    void aNamedSubcommandIsTheOnlyOneBuilt() {
        assertThat(ZmqTap.commandLine("read", "capture.pcap").getSubcommands()).containsOnlyKeys("read");
        assertThat(ZmqTap.commandLine("example", "server").getSubcommands()).containsOnlyKeys("example");
        assertThat(ZmqTap.commandLine("example").getSubcommands().get("example").getSubcommands())
                .containsKeys("server", "client");
    }

    @Test
    void anythingElseBuildsEverySubcommand() {
        var all = ZmqTap.commandLine().getSubcommands().keySet();
        assertThat(all).contains("queue", "watch", "tap", "read", "sniff", "replay", "help");
        for (String[] args : new String[][] {{}, {"help"}, {"help", "read"}, {"--help"}, {"raed"}, {"-V"}}) {
            assertThat(ZmqTap.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactlyElementsOf(all);
        }
    }

    @Test
    void helpAndErrorsAreThoseOfTheWholeTree() {
        for (String[] args : new String[][] {
            {"read", "--help"}, {"read", "--bogus"}, {"read"}, {"tap", "--help"}, {"raed", "x.pcap"}, {"queue", "--in"}}) {
            String[] lazy = run(ZmqTap.commandLine(args), args);
            String[] whole = run(ZmqTap.commandLine(), args);
            assertThat(lazy).as(String.join(" ", args)).containsExactly(whole);
        }
    }

    /** Exit code, stdout and stderr. */
    private static String[] run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }
}
