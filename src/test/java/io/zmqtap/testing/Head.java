package io.zmqtap.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code head -1} does to a process's stdout: reads the first line (here with a timeout), then
 * closes the pipe, so that the process's next write fails (EPIPE).
 *
 * <p>Usage: {@code String line = Head.firstLine(process, timeout); int exit = Head.awaitExit(process, () -> sendSome(), timeout);}
 */
public final class Head {
    private Head() {}

    /** The first line on {@code process}'s stdout, which is then closed; fails when none comes within {@code timeout}. */
    public static String firstLine(Process process, Duration timeout) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "head-" + process.pid());
            t.setDaemon(true);
            return t;
        });
        String line;
        try {
            line = reader.submit(() -> new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the reader stays blocked until the caller kills the process, which ends the read
            throw new AssertionError("no line on stdout within " + timeout + " (process alive: " + process.isAlive() + ")", e);
        } finally {
            reader.shutdownNow();
        }
        process.getInputStream().close(); // the reader is done with it: no read is in progress
        return line;
    }

    /**
     * Runs {@code traffic} again and again until {@code process} has ended (it has to write, and fail,
     * to notice the closed pipe), at most {@code timeout}; its exit code.
     */
    public static int awaitExit(Process process, Runnable traffic, Duration timeout) throws InterruptedException {
        await().atMost(timeout).until(() -> {
            traffic.run();
            return !process.isAlive();
        });
        process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return process.exitValue();
    }
}
