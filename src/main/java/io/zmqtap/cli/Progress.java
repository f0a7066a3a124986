package io.zmqtap.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar on stderr for reading big files, redrawn in place with {@code \r}:
 *
 * <pre>
 * reading capture.zcap  [#########.........]  48%  123.4 MiB / 256.0 MiB  85.2 MiB/s
 * </pre>
 *
 * Drawn only when stderr is a terminal, the output is not JSON, and there are at least
 * {@value #MIN_BYTES} bytes to read; at most every 200 ms, and erased when done.
 *
 * <p>Usage: {@code Progress p = Progress.on(err, total, enabled); in = p.count(in, name); ... p.done();}
 */
final class Progress {
    static final long MIN_BYTES = 8L << 20;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 20;

    private final PrintWriter err;
    private final long total;
    private final boolean shown;
    private final LongSupplier nanos;
    private final long started;
    private long read;
    private long drawnAt;
    private int drawnLength;
    private String name = "";

    Progress(PrintWriter err, long total, boolean enabled, LongSupplier nanos) {
        this.err = err;
        this.total = total;
        this.shown = enabled && total >= MIN_BYTES;
        this.nanos = nanos;
        this.started = nanos.getAsLong();
        this.drawnAt = started;
    }

    /** A bar for {@code total} bytes, drawn when {@code enabled} (see {@link #terminal()}) and the files are big. */
    static Progress on(PrintWriter err, long total, boolean enabled) {
        return new Progress(err, total, enabled, System::nanoTime);
    }

    /**
     * True when stderr is a terminal (Linux: what fd 2 points at), and TERM is not {@code dumb}. Java
     * 17 can only tell whether stdin and stdout are: {@code System.console()} is the fallback.
     */
    static boolean terminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** {@code in}, counting what is read from it into the bar, which names {@code file}. */
    InputStream count(InputStream in, String file) {
        this.name = file;
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    advance(n);
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long s = super.skip(n);
                advance(s);
                return s;
            }
        };
    }

    void advance(long bytes) {
        read += bytes;
        if (!shown) {
            return;
        }
        long now = nanos.getAsLong();
        if (now - drawnAt >= REDRAW_NANOS) {
            drawnAt = now;
            draw(now);
        }
    }

    /** Erases the bar. */
    void done() {
        if (shown && drawnLength > 0) {
            err.print("\r" + " ".repeat(drawnLength) + "\r");
            err.flush();
            drawnLength = 0;
        }
    }

    private void draw(long now) {
        double fraction = total <= 0 ? 0 : Math.min(1, (double) read / total);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        String line = String.format(Locale.ROOT, "reading %s  [%s%s]  %3d%%  %s / %s  %s/s", name,
                "#".repeat(filled), ".".repeat(WIDTH - filled), Math.round(fraction * 100), mib(read), mib(total),
                mib((long) (read / seconds)));
        err.print("\r" + line + (line.length() < drawnLength ? " ".repeat(drawnLength - line.length()) : ""));
        err.flush();
        drawnLength = line.length();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
