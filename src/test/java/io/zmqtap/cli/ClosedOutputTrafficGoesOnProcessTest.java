package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zmqtap.endpoint.Sockets;
import io.zmqtap.testing.ChildProcess;
import io.zmqtap.testing.Head;
import io.zmqtap.testing.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@code zmqtap tap ... | head -1} and {@code zmqtap queue --show ... | head -1}, each as its own
 * process: they carry traffic, so a closed output stops nothing. They say so once on stderr, and
 * every request still gets its reply.
 */
class ClosedOutputTrafficGoesOnProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern FRONTEND = Pattern.compile("frontend ROUTER @(tcp://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path dir;

    @Test
    void theTapGoesOnAndSaysSoOnce() throws Exception {
        int listen = LoopbackPorts.free();
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket rep = server(ctx);
            Path err = dir.resolve("tap-err.txt");
            Process tap = new ProcessBuilder(ChildProcess.zmqtapCommand(List.of(), "tap", "--color", "never",
                    "--listen", "tcp://127.0.0.1:" + listen, "--upstream", rep.getLastEndpoint()))
                    .redirectError(err.toFile()).start();
            try {
                await().atMost(TIMEOUT).until(() -> Files.readString(err).contains("listening on") || !tap.isAlive());
                goesOn(tap, err, client(ctx, "tcp://127.0.0.1:" + listen), rep, "the tap goes on");
            } finally {
                tap.destroyForcibly();
                tap.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theQueueGoesOnAndSaysSoOnce() throws Exception {
        try (ZContext ctx = new ZContext(1)) {
            ZMQ.Socket rep = server(ctx);
            Path err = dir.resolve("queue-err.txt");
            Process queue = new ProcessBuilder(ChildProcess.zmqtapCommand(List.of(), "queue", "--color", "never", "--show",
                    "--in", "@tcp://127.0.0.1:*", "--out", ">" + rep.getLastEndpoint(), "--mon", "@tcp://127.0.0.1:*"))
                    .redirectError(err.toFile()).start();
            try {
                await().atMost(TIMEOUT).until(() -> FRONTEND.matcher(Files.readString(err)).find() || !queue.isAlive());
                Matcher frontend = FRONTEND.matcher(Files.readString(err));
                assertThat(frontend.find()).as(Files.readString(err)).isTrue();
                goesOn(queue, err, client(ctx, frontend.group(1)), rep, "the queue goes on");
            } finally {
                queue.destroyForcibly();
                queue.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Reads one line, closes the output, then keeps the conversation going: it must, and the warning comes once. */
    private static void goesOn(Process p, Path err, ZMQ.Socket req, ZMQ.Socket rep, String goesOn) throws Exception {
        roundTrip(req, rep, 0);
        assertThat(Head.firstLine(p, TIMEOUT)).isNotEmpty();
        int[] n = {1};
        // each round trip comes back (or recvStr times out and fails the test); its events fail to print
        await().atMost(TIMEOUT).until(() -> {
            roundTrip(req, rep, n[0]++);
            return Files.readString(err).contains(goesOn);
        });
        for (int i = 0; i < 20; i++) {
            roundTrip(req, rep, n[0]++);
        }
        assertThat(p.isAlive()).isTrue();
        String stderr = Files.readString(err);
        assertThat(stderr).containsPattern("(?m)^zmqtap: warning: the output could not be written \\(.+\\): events are no longer shown; "
                + Pattern.quote(goesOn) + " \\(Ctrl-C to stop\\)$");
        assertThat(stderr.split(Pattern.quote(goesOn), -1)).as("said once").hasSize(2);
    }

    private static ZMQ.Socket server(ZContext ctx) {
        ZMQ.Socket rep = ctx.createSocket(SocketType.REP);
        rep.setReceiveTimeOut((int) TIMEOUT.toMillis());
        rep.bind("tcp://127.0.0.1:*");
        return rep;
    }

    private static ZMQ.Socket client(ZContext ctx, String endpoint) {
        ZMQ.Socket req = ctx.createSocket(SocketType.REQ);
        req.setReceiveTimeOut((int) TIMEOUT.toMillis());
        Sockets.prepareToConnect(req); // JeroMQ's connect race: a stalled connection is reopened after 1 s
        req.connect(endpoint);
        return req;
    }

    private static void roundTrip(ZMQ.Socket req, ZMQ.Socket rep, int i) {
        req.send("request " + i);
        assertThat(rep.recvStr()).isEqualTo("request " + i);
        rep.send("reply " + i);
        assertThat(req.recvStr()).as("reply %d through the proxy", i).isEqualTo("reply " + i);
    }
}
