package io.zmqtap.bench;

import io.zmqtap.ZmqTapException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeromq.ZContext;

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
    private static final long EXIT_SECONDS = 3;

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
    public Route start(ZContext ctx, String serverEndpoint) {
        Process process = launch(serverEndpoint);
        try {
            String[] ready = awaitReady(process);
            return CapturedRoute.subscribe(ctx, ready[1], ready[2], () -> stop(process));
        } catch (RuntimeException e) {
            stop(process);
            throw e;
        }
    }

    private static Process launch(String serverEndpoint) {
        try {
            return new ProcessBuilder(PYTHON, "-c", script(),
                    "tcp://127.0.0.1:*", serverEndpoint, "tcp://127.0.0.1:*")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new ZmqTapException("cannot start " + PYTHON + ": " + e.getMessage(), e);
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

    /** Reads lines until {@code ready ...}; fails with what the script printed if it dies or stalls. */
    private static String[] awaitReady(Process process) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        CompletableFuture<String[]> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("ready ")) {
                        return line.split(" ");
                    }
                    synchronized (seen) {
                        seen.add(line);
                    }
                }
            } catch (IOException e) {
                // reported below as "exited"
            }
            return null;
        });
        try {
            String[] words = ready.get(READY_SECONDS, TimeUnit.SECONDS);
            if (words != null && words.length >= 3) {
                drain(out);
                return words;
            }
        } catch (TimeoutException | ExecutionException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (seen) {
            throw new ZmqTapException("pyzmq monitored queue did not start: "
                    + (seen.isEmpty() ? "no output" : String.join(" | ", seen)));
        }
    }

    /** Keeps reading the script's output so a chatty script can never block on a full pipe. */
    private static void drain(BufferedReader out) {
        Thread t = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException e) {
                // process gone
            }
        }, "bench-libzmq-output");
        t.setDaemon(true);
        t.start();
    }

    private static void stop(Process process) {
        try {
            process.getOutputStream().close(); // the script exits when its stdin closes
            if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
