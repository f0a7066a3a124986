package io.zmqtap.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The "Commands:" list of a command's usage help, as a person reads it on an 80-column terminal:
 * each subcommand's name with the lines printed for it (more than one when picocli wrapped it).
 *
 * <pre>{@code
 * Map<String, List<String>> entries = CommandList.of(ZmqTap.commandLine());
 * assertThat(entries.get("queue")).hasSize(1);
 * }</pre>
 */
public final class CommandList {
    /** The width the help is checked at: a terminal's default. */
    public static final int COLUMNS = 80;

    private CommandList() {}

    /** Each listed subcommand's name and the lines shown for it, in the order of the list. */
    public static Map<String, List<String>> of(CommandLine parent) {
        parent.setUsageHelpWidth(COLUMNS);
        List<String> lines = parent.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().toList();
        int start = lines.indexOf("Commands:");
        if (start < 0) {
            throw new AssertionError("no Commands: section in\n" + String.join("\n", lines));
        }
        Map<String, List<String>> entries = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.isBlank()) {
                break;
            }
            if (line.matches("  \\S.*")) { // a name at the list's indent starts an entry
                current = new ArrayList<>();
                entries.put(line.strip().split("\\s+", 2)[0], current);
            }
            if (current == null) {
                throw new AssertionError("unexpected line in Commands: '" + line + "'");
            }
            current.add(line);
        }
        return entries;
    }

    /** The text shown beside {@code name} on its first line. */
    public static String summary(List<String> entry, String name) {
        return entry.get(0).strip().substring(name.length()).strip();
    }
}
