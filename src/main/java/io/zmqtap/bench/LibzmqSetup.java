package io.zmqtap.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * pyzmq's {@code MonitoredQueue} (libzmq 4.3's C loop, ROUTER/DEALER, PUB capture with
 * {@code in}/{@code out} prefixes) in a {@code /usr/bin/python3} subprocess: the reference zmqtap
 * is measured against.
 *
 * <p>The script ({@code monitored_queue.py} next to this class) binds the ports given on its
 * command line, prints {@code ready <frontend> <capture> ...}, and exits when its stdin closes.
 */
public final class LibzmqSetup implements Setup {
    static final String PYTHON = "/usr/bin/python3";
    private static final long READY_SECONDS = 15;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(READY_SECONDS);

    private Optional<String> unavailable;

    @Override
    public String name() {
        return "libzmq";
    }

    /** Empty when {@code /usr/bin/python3 -c 'import zmq'} works; checked once. */
    @Override
    public synchronized Optional<String> unavailable() {
        if (unavailable == null) {
            unavailable = probe();
        }
        return unavailable;
    }

    private static Optional<String> probe() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import zmq")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(READY_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("libzmq skipped: " + PYTHON + " -c 'import zmq' did not finish");
            }
            return p.exitValue() == 0
                    ? Optional.empty()
                    : Optional.of("libzmq skipped: python3-zmq is not installed (apt-get install python3-zmq)");
        } catch (IOException e) {
            return Optional.of("libzmq skipped: cannot run " + PYTHON + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("libzmq skipped: interrupted");
        }
    }

    @Override
    public Route start(String serverEndpoint) {
        Subprocess p = Subprocess.start("pyzmq monitored queue", List.of(PYTHON, "-c", script(),
                "tcp://127.0.0.1:*", serverEndpoint, "tcp://127.0.0.1:*"), true);
        try {
            String[] ready = p.awaitLine(line -> line.startsWith("ready "), READY_TIMEOUT).split(" ");
            return CapturedRoute.subscribe(ready[1], ready[2], p::stop);
        } catch (RuntimeException e) {
            p.stop();
            throw e;
        }
    }

    static String script() {
        try (InputStream in = LibzmqSetup.class.getResourceAsStream("monitored_queue.py")) {
            if (in == null) {
                throw new IllegalStateException("monitored_queue.py missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read monitored_queue.py", e);
        }
    }
}
