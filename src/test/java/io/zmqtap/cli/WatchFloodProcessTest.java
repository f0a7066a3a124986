package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zmqtap.sink.JsonSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@code zmqtap watch} in a JVM of 64 MiB, flooded with 64 KiB capture messages while its output
 * goes into a pipe nobody reads: its memory stays bounded and it counts what it could not print.
 * (Before its buffer was bounded in bytes, JeroMQ's queue of up to 100,000 messages filled the heap
 * and the OutOfMemoryError killed JeroMQ's I/O thread.)
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
                    ZmqTap.class.getName(), "watch", ">" + pub.getLastEndpoint(), "--json", "--stats", "1s"))
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
                JsonNode stats = err.nextJson("stats", s -> s.path("received").asLong() == MESSAGES);
                assertThat(stats.get("buffered_bytes").asLong()).isLessThanOrEqualTo(16 << 20);

                watch.toHandle().destroy(); // SIGTERM
                assertThat(watch.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                JsonNode summary = err.nextJson("summary", s -> true);

                assertThat(watch.exitValue()).as("ended by SIGTERM, through its shutdown hook").isEqualTo(143);
                assertThat(summary.get("dropped").asLong()).isPositive();
                assertThat(summary.get("messages").asLong() + summary.get("dropped").asLong()).isEqualTo(MESSAGES);
                assertThat(summary.get("connection_drops").asLong()).isZero();
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

        /** The next JSON line of {@code type} that satisfies {@code wanted}, within the test's timeout. */
        JsonNode nextJson(String type, java.util.function.Predicate<JsonNode> wanted) throws Exception {
            long end = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                String line = lines.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(line).as("a %s line within %d s; stderr so far: %s", type, TIMEOUT.toSeconds(), all)
                        .isNotNull();
                if (line.startsWith("{")) {
                    JsonNode o = JsonSink.mapper().readTree(line);
                    if (o.get("type").asText().equals(type) && wanted.test(o)) {
                        return o;
                    }
                }
            }
        }

        List<String> all() {
            return List.copyOf(all);
        }
    }
}
