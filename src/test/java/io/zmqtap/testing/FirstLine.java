package io.zmqtap.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The first line a process prints on stdout, read with a timeout, then nothing more: what
 * {@code head -1} does, before the test closes the stream as {@code head} would by exiting.
 *
 * <p>Usage: {@code String line = FirstLine.of(process, Duration.ofSeconds(20)); process.getInputStream().close();}
 */
public final class FirstLine {
    private FirstLine() {}

    /** The line; fails when none comes within {@code timeout} (the process is then the caller's to kill, which ends the read). */
    public static String of(Process process, Duration timeout) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "first-line-" + process.pid());
            t.setDaemon(true);
            return t;
        });
        try {
            return reader.submit(() -> new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no line on stdout within " + timeout + " (process alive: " + process.isAlive() + ")", e);
        } finally {
            reader.shutdownNow();
        }
    }
}
