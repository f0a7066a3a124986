package io.zmqtap.testing;

import java.io.Writer;

/**
 * Standard output that breaks with an unchecked exception on every write (a {@code PrintWriter}
 * swallows only {@code IOException}s): what a sink that throws looks like to a command.
 *
 * <p>Usage: {@code commandLine.setOut(new PrintWriter(new BrokenWriter("the output went away")));}
 */
public final class BrokenWriter extends Writer {
    private final String message;

    public BrokenWriter(String message) {
        this.message = message;
    }

    @Override
    public void write(char[] b, int off, int len) {
        throw new IllegalStateException(message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
