package io.zmqtap.tap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Python program using libzmq through Debian's pyzmq, talking to the test over stdin/stdout lines.
 * Always closed by the test: the process is destroyed and its reader thread ends with it.
 */
final class PythonPeer implements AutoCloseable {
    private static final String EOF = "\u0000eof";
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Writer stdin;
    private final Thread reader;

    PythonPeer(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-u", "-c", script));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process went away: the EOF marker below tells the test
            }
            lines.add(EOF);
        }, "python-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next line the program printed; fails after 20 s or when it exited without printing one. */
    String line() throws InterruptedException {
        String line = lines.poll(20, TimeUnit.SECONDS);
        if (line == null || line.equals(EOF)) {
            throw new AssertionError("python printed no line (" + (line == null ? "timeout" : "exited") + ")");
        }
        return line;
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(10_000);
    }
}
