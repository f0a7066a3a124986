package io.zmqtap.sink;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A terminal's columns and rows, without a terminal library: {@code COLUMNS} and {@code LINES}
 * when the environment has them (shells rarely export them), else what {@code stty size} says
 * about {@code /dev/tty}, else 80×24.
 *
 * <p>Usage: {@code TerminalSize size = TerminalSize.detect(System.getenv(), TerminalSize::stty);}
 *
 * @param columns characters per line
 * @param rows lines on the screen
 */
public record TerminalSize(int columns, int rows) {
    public static final TerminalSize DEFAULT = new TerminalSize(80, 24);

    /**
     * The size from {@code env} (each of {@code COLUMNS} and {@code LINES} on its own), the rest
     * from {@code stty} (its {@code "ROWS COLUMNS"} answer, or null), the rest from {@link #DEFAULT}.
     */
    public static TerminalSize detect(Map<String, String> env, Supplier<String> stty) {
        int columns = positive(env.get("COLUMNS"));
        int rows = positive(env.get("LINES"));
        if (columns == 0 || rows == 0) {
            String answer = stty.get();
            String[] parts = answer == null ? new String[0] : answer.strip().split("\\s+");
            if (parts.length == 2) {
                rows = rows == 0 ? positive(parts[0]) : rows;
                columns = columns == 0 ? positive(parts[1]) : columns;
            }
        }
        return new TerminalSize(columns == 0 ? DEFAULT.columns : columns, rows == 0 ? DEFAULT.rows : rows);
    }

    /** What {@code stty size </dev/tty} prints, e.g. {@code "24 80"}; null when it cannot tell within a second. */
    public static String stty() {
        File tty = new File("/dev/tty");
        if (!tty.exists()) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (InputStream in = p.getInputStream()) {
                if (!p.waitFor(1, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return null;
                }
                return p.exitValue() == 0 ? new String(in.readAllBytes(), StandardCharsets.US_ASCII) : null;
            }
        } catch (IOException e) {
            return null; // no stty, or no controlling terminal: the default will do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int positive(String s) {
        if (s == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(s.strip());
            return n > 0 ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
