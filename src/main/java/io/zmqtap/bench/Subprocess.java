package io.zmqtap.bench;

import io.zmqtap.ZmqTapException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A proxy running as a child process: started, awaited until it prints its ready line, stopped
 * for sure (stdin closed, then SIGTERM, then SIGKILL).
 *
 * <p>Usage:
 * <pre>{@code
 * Subprocess p = Subprocess.start("pyzmq monitored queue", List.of("/usr/bin/python3", "-c", script));
 * String ready = p.awaitLine(line -> line.startsWith("ready "), Duration.ofSeconds(15));
 * ...
 * p.stop();
 * }</pre>
 */
final class Subprocess {
    private static final long EXIT_SECONDS = 3;

    private final String what;
    private final Process process;
    private final BufferedReader out;
    private final boolean exitsOnStdinClose;

    private Subprocess(String what, Process process, boolean exitsOnStdinClose) {
        this.what = what;
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.exitsOnStdinClose = exitsOnStdinClose;
    }

    /**
     * Starts {@code command} with stderr merged into stdout.
     *
     * @param exitsOnStdinClose true when the program ends by itself once its stdin closes (tried
     *     before SIGTERM)
     */
    static Subprocess start(String what, List<String> command, boolean exitsOnStdinClose) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new Subprocess(what, p, exitsOnStdinClose);
        } catch (IOException e) {
            throw new ZmqTapException("cannot start " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads output until a line matching {@code ready} and returns it; then keeps draining the
     * output so the child never blocks on a full pipe. Fails with what the child printed if it
     * exits or stays silent for {@code timeout}.
     */
    String awaitLine(Predicate<String> ready, Duration timeout) {
        List<String> seen = new ArrayList<>();
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    if (ready.test(l)) {
                        return l;
                    }
                    synchronized (seen) {
                        seen.add(l);
                    }
                }
            } catch (IOException e) {
                // reported below as "did not start"
            }
            return null;
        });
        try {
            String found = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (found != null) {
                drain();
                return found;
            }
        } catch (TimeoutException | ExecutionException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (seen) {
            throw new ZmqTapException(what + " did not start: "
                    + (seen.isEmpty() ? "no output" : String.join(" | ", seen)));
        }
    }

    private void drain() {
        Thread t = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard: only the ready line matters
                }
            } catch (IOException e) {
                // process gone
            }
        }, "bench-subprocess-output");
        t.setDaemon(true);
        t.start();
    }

    /** Ends the child and waits for it: stdin closed (if that ends it), SIGTERM, then SIGKILL. */
    void stop() {
        try {
            process.getOutputStream().close();
            if (exitsOnStdinClose && process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                return;
            }
            process.destroy();
            if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
