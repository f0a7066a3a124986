package io.zmqtap.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The counting sniffer as a process of its own, as a user runs a sniffer: one JVM for the whole
 * bench, subscribed to each route's capture feed in turn, running the same {@link CaptureCounter}
 * the in-process bench uses.
 *
 * <p>The bench talks to it in lines over stdin and stdout:
 * <pre>
 * (child starts)                    ready
 * subscribe tcp://127.0.0.1:41235   subscribed      a fresh SUB, count 0; the previous one is closed
 * count                             count 1234
 * unsubscribe                       unsubscribed
 * (stdin closes)                    (child exits)
 * </pre>
 *
 * <p>Usage:
 * <pre>{@code
 * try (SnifferProcess sniffers = SnifferProcess.start();
 *         Sniffer sniffer = sniffers.subscribe("tcp://127.0.0.1:41235")) {
 *     long seen = sniffer.count();
 * }
 * }</pre>
 */
public final class SnifferProcess implements AutoCloseable {
    /** A query is answered within microseconds; this only catches a child that hangs. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final Subprocess process;

    private SnifferProcess(Subprocess process) {
        this.process = process;
    }

    /** Starts the sniffer JVM and waits until it is ready for commands. */
    public static SnifferProcess start() {
        Subprocess p = ChildJvm.start("sniffer process", SnifferProcess.class.getName(), List.of());
        try {
            p.awaitLine("ready"::equals, EchoServerProcess.READY_TIMEOUT);
            return new SnifferProcess(p);
        } catch (RuntimeException e) {
            p.stop();
            throw e;
        }
    }

    /** Subscribes to {@code captureAddress} (replacing any earlier subscription) and counts from 0. */
    public Sniffer subscribe(String captureAddress) {
        process.request("subscribe " + captureAddress, "subscribed", ANSWER_TIMEOUT);
        return new Sniffer() {
            @Override
            public long count() {
                return Long.parseLong(process.request("count", "count ", ANSWER_TIMEOUT).substring("count ".length()));
            }

            @Override
            public void close() {
                process.request("unsubscribe", "unsubscribed", ANSWER_TIMEOUT);
            }
        };
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.stop();
    }

    /** The child: answers commands from stdin until it closes. */
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        System.out.flush();
        CaptureCounter counter = null;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.strip().split(" ", 2);
                switch (words[0]) {
                    case "subscribe" -> {
                        close(counter);
                        counter = CaptureCounter.start(words[1]);
                        answer("subscribed");
                    }
                    case "count" -> answer("count " + (counter == null ? 0 : counter.count()));
                    case "unsubscribe" -> {
                        close(counter);
                        counter = null;
                        answer("unsubscribed");
                    }
                    default -> answer("unknown command: " + line);
                }
            }
        } finally {
            close(counter);
        }
        System.exit(0); // JeroMQ's reaper threads must not keep the JVM alive
    }

    private static void close(CaptureCounter counter) {
        if (counter != null) {
            counter.close();
        }
    }

    private static void answer(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
