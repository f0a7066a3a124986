package io.zmqtap.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Stops a file's reading once its output has failed: {@code zmqtap read big.pcap | head} ends when
 * {@code head} does, and a full disk ends {@code read --json > out.jsonl}, instead of decoding the
 * rest of the file for nobody. Looks between reads of the input, once per {@link #CHECK_EVERY} bytes
 * (looking flushes the output), and throws {@link Failed} out of the reading.
 *
 * <p>Usage: {@code try { reader(watch.input(in)) ... } catch (OutputWatch.Failed e) { err.println("zmqtap: " + e.getMessage()); }}
 */
final class OutputWatch {
    /** Input bytes between two looks: a few milliseconds of reading. */
    static final int CHECK_EVERY = 1 << 20;

    private final PrintWriter out;

    OutputWatch(PrintWriter out) {
        this.out = out;
    }

    /** The output failed: its one line ({@link OutputLoss#of(PrintWriter)}) is the message. */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failed(String line) {
            super(line, null, false, false); // control flow: no stack trace
        }
    }

    /** {@code in}, looking at the output as it is read. */
    InputStream input(InputStream in) {
        return new FilterInputStream(in) {
            private long unchecked;

            @Override
            public int read() throws IOException {
                int b = super.read();
                look(1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                look(Math.max(n, 0));
                return n;
            }

            private void look(int read) {
                unchecked += read;
                if (unchecked >= CHECK_EVERY) {
                    unchecked = 0;
                    Optional<String> failed = OutputLoss.of(out);
                    if (failed.isPresent()) {
                        throw new Failed(failed.get());
                    }
                }
            }
        };
    }
}
