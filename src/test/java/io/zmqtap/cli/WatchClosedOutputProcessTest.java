package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.testing.ChildProcess;
import io.zmqtap.testing.Head;
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
            Process watch = new ProcessBuilder(ChildProcess.zmqtapCommand(List.of(), "watch", ">" + pub.getLastEndpoint(),
                    "--color", "never")).redirectError(err.toFile()).start();
            try {
                assertThat(pub.recv()).as("the watcher's subscription").isNotNull();
                send(pub, 0);
                assertThat(Head.firstLine(watch, TIMEOUT)).contains("in");
                int[] n = {1};
                int exit = Head.awaitExit(watch, () -> send(pub, n[0]++), TIMEOUT);
                assertThat(exit).as(Files.readString(err)).isEqualTo(1);
            } finally {
                watch.destroyForcibly();
                watch.waitFor(10, TimeUnit.SECONDS);
            }
            String stderr = Files.readString(err);
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
