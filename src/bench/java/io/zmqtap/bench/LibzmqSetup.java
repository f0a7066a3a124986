package io.zmqtap.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

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
            Optional<Subprocess.Finished> done = Subprocess.run(List.of(PYTHON, "-c", "import zmq"), READY_TIMEOUT);
            if (done.isEmpty()) {
                return Optional.of("libzmq skipped: " + PYTHON + " -c 'import zmq' did not finish");
            }
            return done.get().exitValue() == 0
                    ? Optional.empty()
                    : Optional.of("libzmq skipped: python3-zmq is not installed (apt-get install python3-zmq)");
        } catch (IOException e) {
            return Optional.of("libzmq skipped: cannot run " + PYTHON + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public Route start(Testbed testbed) {
        Subprocess p = Subprocess.start("pyzmq monitored queue", List.of(PYTHON, "-c", script(),
                "tcp://127.0.0.1:*", testbed.serverEndpoint(), "tcp://127.0.0.1:*"), true);
        try {
            String[] ready = p.awaitLine(line -> line.startsWith("ready "), READY_TIMEOUT).split(" ");
            return CapturedRoute.subscribe(testbed, ready[1], ready[2], p::stop);
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
