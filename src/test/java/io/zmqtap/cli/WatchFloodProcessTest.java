package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@code zmqtap watch} in a JVM of 64 MiB, flooded with 64 KiB capture messages while its output
 * goes into a pipe nobody reads: its memory stays bounded and it counts what it could not print.
 * (Before its buffer was bounded in bytes, JeroMQ's queue of up to 100,000 messages filled the heap
 * and the OutOfMemoryError killed JeroMQ's I/O thread.) Its statistics go to stderr, which this
 * test reads: {@code stats 1.0 s: messages 3, messages in 3, ..., received 2000, dropped 1997, ...}.
 */
class WatchFloodProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int MESSAGES = 2_000; // 125 MiB: twice the watcher's whole heap

    @Test
    void aFloodIntoAStalledTerminalIsDroppedAndCountedWithoutRunningOutOfMemory() throws Exception {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket pub = context.createSocket(SocketType.XPUB);
            pub.setLinger(0);
            pub.setSndHWM(0); // queue rather than drop: every message sent reaches the watcher
            pub.setXpubVerbose(true);
            pub.setReceiveTimeOut((int) TIMEOUT.toMillis());
            pub.bind("tcp://127.0.0.1:*");

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process watch = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    ZmqTap.class.getName(), "watch", ">" + pub.getLastEndpoint(), "--color", "never", "--stats", "1s"))
                    .start(); // its stdout is a pipe this test never reads: it fills after a message or so
            StderrLines err = new StderrLines(watch);
            try {
                assertThat(pub.recv()).as("the watcher's subscription").isNotNull();
                byte[] payload = new byte[64 * 1024];
                for (int i = 0; i < MESSAGES; i++) {
                    pub.sendMore("in");
                    pub.sendMore(new byte[] {0, 1, 2, 3, 4});
                    pub.sendMore(new byte[0]);
                    pub.send(payload);
                }
                Map<String, Long> stats = err.nextCounters("stats", s -> s.get("received") == MESSAGES);
                assertThat(stats.get("buffered bytes")).isLessThanOrEqualTo(16 << 20);

                watch.toHandle().destroy(); // SIGTERM
                assertThat(watch.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                Map<String, Long> summary = err.nextCounters("summary", s -> true);

                assertThat(watch.exitValue()).as("ended by SIGTERM, through its shutdown hook").isEqualTo(143);
                // lost either in watch's receive buffer (dropped) or between decoding and the stalled
                // terminal (events dropped, the pipeline's bounded queue): counted, never silent
                assertThat(summary.get("dropped") + summary.get("events dropped")).as(summary.toString()).isPositive();
                assertThat(summary.get("messages") + summary.get("dropped")).isEqualTo(MESSAGES);
                assertThat(summary.get("messages in")).isEqualTo(summary.get("messages"));
                assertThat(summary.get("connection drops")).isZero();
                assertThat(err.all()).noneMatch(l -> l.contains("OutOfMemoryError"));
            } finally {
                watch.destroyForcibly();
                watch.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The watcher's stderr, read on a thread of its own, line by line with timeouts. */
    private static final class StderrLines {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> all = Collections.synchronizedList(new ArrayList<>());

        StderrLines(Process process) {
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        all.add(line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "watch-stderr");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * The counters of the next {@code stats} or {@code summary} line that satisfy {@code wanted},
         * within the test's timeout: {@code 10:15:02.481  stats 1.0 s: messages 3, received 2000} gives
         * {@code {messages=3, received=2000}}.
         */
        Map<String, Long> nextCounters(String type, Predicate<Map<String, Long>> wanted) throws Exception {
            Pattern line = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  " + type + " [\\d.]+ s: (.*)");
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                String next = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(next).as("a %s line within %d s; stderr so far: %s", type, TIMEOUT.toSeconds(), all)
                        .isNotNull();
                Matcher m = line.matcher(next);
                if (m.matches()) {
                    Map<String, Long> counters = new HashMap<>();
                    for (String counter : m.group(1).split(", ")) {
                        int space = counter.lastIndexOf(' ');
                        counters.put(counter.substring(0, space), Long.parseLong(counter.substring(space + 1)));
                    }
                    if (wanted.test(counters)) {
                        return counters;
                    }
                }
            }
        }

        List<String> all() {
            return List.copyOf(all);
        }
    }
}
