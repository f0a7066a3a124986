package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.testing.CommandList;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code zmqtap --help} lists and what every command's {@code --version} says. */
class HelpAndVersionTest {
    @Test
    void everyCommandListIsOneWholeSentencePerSubcommandWithinEightyColumns() {
        List<CommandLine> parents = new ArrayList<>();
        collectParents(ZmqTap.commandLine(), parents);
        assertThat(parents).extracting(c -> c.getCommandName()).contains("zmqtap", "example");

        for (CommandLine parent : parents) {
            Map<String, List<String>> listed = CommandList.of(parent);
            List<String> visible = parent.getSubcommands().values().stream()
                    .filter(c -> !c.getCommandSpec().usageMessage().hidden())
                    .map(CommandLine::getCommandName).distinct().toList();
            assertThat(listed.keySet()).as(parent.getCommandName()).containsExactlyElementsOf(visible);
            listed.forEach((name, lines) -> {
                String where = parent.getCommandSpec().qualifiedName() + " --help, " + name;
                assertThat(lines).as(where + ": one line, not wrapped").hasSize(1);
                assertThat(lines.get(0).length()).as(where + ": width").isLessThanOrEqualTo(CommandList.COLUMNS);
                String summary = CommandList.summary(lines, name);
                assertThat(summary).as(where + ": a whole sentence").endsWith(".").doesNotEndWith("..")
                        .doesNotContain(":.", ",.");
                assertThat(summary).as(where + ": its first line").isEqualTo(firstLine(parent.getSubcommands().get(name)));
            });
        }
    }

    @Test
    void theCheckCatchesACutSentence() {
        // the old queue description, whose first line stopped at a comma: the check above would fail on it
        @CommandLine.Command(name = "top", subcommands = Cut.class)
        class Top {}
        Map<String, List<String>> listed = CommandList.of(new CommandLine(new Top()));
        assertThat(listed.get("cut")).hasSize(2);
        assertThat(CommandList.summary(listed.get("cut"), "cut")).doesNotEndWith(".");
    }

    @CommandLine.Command(name = "cut", description = {
        "Run a monitored queue: clients connect to --in (ROUTER), the server is reached through --out (DEALER),",
        "and every message is published on --mon (PUB)."})
    static final class Cut {}

    @Test
    void everyCommandsVersionIsTheBuildsVersion() throws IOException {
        String expected = "zmqtap " + pomVersion();
        List<List<String>> paths = new ArrayList<>();
        collectVersioned(ZmqTap.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).contains(List.of(), List.of("queue"), List.of("tap"), List.of("example", "client"));

        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--version");
            StringWriter out = new StringWriter();
            CommandLine cl = ZmqTap.commandLine();
            cl.setOut(new PrintWriter(out, true));
            assertThat(cl.execute(args.toArray(new String[0]))).isZero();
            assertThat(out.toString().lines().toList()).as(String.join(" ", args))
                    .hasSize(2).first().isEqualTo(expected);
            assertThat(out.toString().lines().toList().get(1)).startsWith("Java " + System.getProperty("java.version"));
        }
    }

    @Test
    void theProductAloneHasNoBenchCommand() {
        // the bench harness is its own jar; its tests check that bench appears when it is on the class path
        assertThat(ZmqTap.commandLine().getSubcommands()).doesNotContainKey("bench");
    }

    /** The line picocli lists a command with: its header's first line, or its description's. */
    private static String firstLine(CommandLine command) {
        CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
        return (usage.header().length > 0 ? usage.header() : usage.description())[0];
    }

    private static void collectParents(CommandLine command, List<CommandLine> into) {
        if (!command.getSubcommands().isEmpty()) {
            into.add(command);
        }
        command.getSubcommands().values().forEach(c -> collectParents(c, into));
    }

    private static void collectVersioned(CommandLine command, List<String> path, List<List<String>> into) {
        if (command.getCommandSpec().findOption("--version") != null) {
            into.add(List.copyOf(path));
        }
        command.getSubcommands().forEach((name, sub) -> {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            collectVersioned(sub, deeper, into);
        });
    }

    /** The version in pom.xml (tests run in the project's directory). */
    private static String pomVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<artifactId>zmqtap</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).as("version in pom.xml").isTrue();
        return m.group(1);
    }
}
