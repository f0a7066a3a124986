package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zmqtap.testing.FirstLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@code zmqtap watch ENDPOINT | head -1}, as its own process: once its output is closed, watch
 * stops with one line saying so and exits 1, instead of running for nobody until killed.
 */
class WatchClosedOutputProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aClosedOutputStopsWatchInOneLine() throws Exception {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket pub = context.createSocket(SocketType.XPUB);
            pub.setLinger(0);
            pub.setReceiveTimeOut((int) TIMEOUT.toMillis());
            pub.bind("tcp://127.0.0.1:*");
            Path err = dir.resolve("err.txt");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process watch = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    ZmqTap.class.getName(), "watch", ">" + pub.getLastEndpoint(), "--color", "never"))
                    .redirectError(err.toFile()).start();
            try {
                assertThat(pub.recv()).as("the watcher's subscription").isNotNull();
                send(pub, 0);
                assertThat(FirstLine.of(watch, TIMEOUT)).contains("in");
                watch.getInputStream().close(); // as head does after its line
                int[] n = {1};
                await().atMost(TIMEOUT).until(() -> { // its next write fails
                    send(pub, n[0]++);
                    return !watch.isAlive();
                });
                assertThat(watch.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            } finally {
                watch.destroyForcibly();
                watch.waitFor(10, TimeUnit.SECONDS);
            }
            String stderr = Files.readString(err);
            assertThat(watch.exitValue()).as(stderr).isEqualTo(1);
            assertThat(stderr).containsPattern("(?m)^zmqtap: the output could not be written \\(.+\\): stopped watching$");
        }
    }

    /** A monitored queue's capture message: direction, routing id, delimiter, body. */
    private static void send(ZMQ.Socket pub, int i) {
        pub.sendMore("in");
        pub.sendMore(new byte[] {0, 1, 2, 3, 4});
        pub.sendMore(new byte[0]);
        pub.send("request " + i);
    }
}
