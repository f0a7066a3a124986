package io.zmqtap.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The process's standard output as bytes, remembering why a write failed: a {@code PrintWriter}
 * (every sink writes through one) swallows the {@code IOException} of a closed pipe or a full disk
 * and keeps only a flag, so the reason would be lost, and with it the one line that says it.
 *
 * <p>Also one layer less than {@code System.out}: the writer's encoder writes its bytes here
 * straight, not through a {@code PrintStream}'s lock and buffer.
 *
 * <p>Usage: {@code new PrintWriter(StandardOutput.process(), true)}, later
 * {@code StandardOutput.process().failure() // "Broken pipe"}
 */
final class StandardOutput extends OutputStream {
    private static final StandardOutput PROCESS = new StandardOutput(new FileOutputStream(FileDescriptor.out));

    private final OutputStream out;
    private volatile IOException failure;

    StandardOutput(OutputStream out) {
        this.out = out;
    }

    /** The one for file descriptor 1. */
    static StandardOutput process() {
        return PROCESS;
    }

    /** The first write that failed, or null. */
    IOException failure() {
        return failure;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private IOException failed(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }
}
