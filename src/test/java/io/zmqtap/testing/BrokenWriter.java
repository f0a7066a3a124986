package io.zmqtap.testing;

import java.io.IOException;
import java.io.Writer;

/**
 * Standard output that breaks on every write: with an unchecked exception (a {@code PrintWriter}
 * swallows only {@code IOException}s), what a sink that throws looks like to a command; or, made
 * by {@link #ioError}, with an {@code IOException}, as a closed pipe or a full disk, which the
 * {@code PrintWriter} swallows and only flags.
 *
 * <p>Usage: {@code commandLine.setOut(new PrintWriter(new BrokenWriter("the output went away")));}
 */
public final class BrokenWriter extends Writer {
    private final String message;
    private final boolean io;

    public BrokenWriter(String message) {
        this(message, false);
    }

    private BrokenWriter(String message, boolean io) {
        this.message = message;
        this.io = io;
    }

    /** One whose writes fail with {@code new IOException(message)}, e.g. "No space left on device". */
    public static BrokenWriter ioError(String message) {
        return new BrokenWriter(message, true);
    }

    @Override
    public void write(char[] b, int off, int len) throws IOException {
        if (io) {
            throw new IOException(message);
        }
        throw new IllegalStateException(message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
