package io.zmqtap.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.example.DoublingClient;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.feed.FeedSubscriber;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.testing.Closer;
import io.zmqtap.testing.CommandRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients' side: {@code watch} reads a CURVE capture feed with an allowed key and nothing
 * without one; {@code ctl} is refused by a {@code --control-curve} control socket without the
 * right key; {@code example client} through a CURVE frontend.
 */
class ClientSecurityTest {
    @TempDir
    Path keys;
    private final Closer closer = new Closer();
    private final List<String> notices = new CopyOnWriteArrayList<>();
    private DoublingServer server;
    private Path allowed;

    @BeforeEach
    void setUp() throws Exception {
        server = closer.add(DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter())));
        Certificates.generate(keys, "server");
        Certificates.generate(keys, "alice");
        Certificates.generate(keys, "mallory");
        allowed = Files.createDirectories(keys.resolve("allowed"));
        Files.copy(keys.resolve("alice"), allowed.resolve("alice"));
    }

    @AfterEach
    void tearDown() {
        closer.close();
    }

    private SocketSecurity served() {
        return SocketSecurity.curveServer(Certificates.loadSecret(keys.resolve("server_secret")));
    }

    private MonitoredQueue.Builder queue() {
        return MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*")
                .backend(">" + server.endpoints().get(0).substring(1))
                .access(AccessRules.none().allowDirectory(allowed)).notices(notices::add);
    }

    private static String connect(List<String> endpoints) {
        return ">" + endpoints.get(0).substring(1);
    }

    private void request(MonitoredQueue q, int count) {
        DoublingClient.run(connect(q.frontendEndpoints()), null, count, Duration.ofSeconds(10),
                new PrintWriter(new StringWriter()));
    }

    /** A queue whose capture feed serves CURVE to the allowed keys (alice's). */
    private MonitoredQueue curveFeedQueue() {
        return closer.add(queue().capture("@tcp://127.0.0.1:*").captureSecurity(served()).start());
    }

    /** A CURVE client of the server with mallory's key, which is not allowed. */
    private SocketSecurity mallory() {
        return SocketSecurity.curveClient(Certificates.loadPublic(keys.resolve("server")),
                Certificates.loadSecret(keys.resolve("mallory_secret")));
    }

    @Test
    void watchReadsACurveFeedWithAnAllowedKeyAndNothingWithout() throws Exception {
        MonitoredQueue q = curveFeedQueue();
        String feed = connect(q.captureEndpoints());

        // refused first: a watcher whose key is not allowed never subscribes, so reads nothing
        try (FeedSubscriber refused = FeedSubscriber.builder(feed).security(mallory()).start()) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> q.refusals() > 0);
            assertThat(q.awaitCaptureSubscriber(Duration.ofMillis(500))).isFalse();
            request(q, 2);
            Thread.sleep(300); // nothing may arrive: give it the chance to prove otherwise
            assertThat(refused.received()).isZero();
        }
        // the ZAP handler's thread reports it: it may come a moment after the client gave up
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(notices).anySatisfy(n -> assertThat(n).startsWith("capture: refused CURVE client 127.0.0.1")));

        CommandRun watch = closer.add(CommandRun.start("watch", "--json", "-n", "2", feed,
                "--curve", keys.resolve("server").toString(), "--cert", keys.resolve("alice_secret").toString()));
        assertThat(q.awaitCaptureSubscriber(Duration.ofSeconds(10))).isTrue();
        request(q, 1);
        assertThat(watch.awaitExit(Duration.ofSeconds(20))).as(watch.err()).isZero();
        assertThat(watch.out()).contains("\"dir\":\"in\"").contains("\"dir\":\"out\"").contains("{\"text\":\"0\"}");
    }

    @Test
    void aRefusedWatcherIsToldWhyAndGetsThroughOnceItsKeyIsAllowed() throws Exception {
        MonitoredQueue q = curveFeedQueue();
        String feed = connect(q.captureEndpoints());
        SocketSecurity mallory = mallory();
        List<String> told = new CopyOnWriteArrayList<>();
        try (FeedSubscriber watcher = FeedSubscriber.builder(feed).security(mallory).notices(told::add).start()) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(told).anySatisfy(n ->
                    assertThat(n).isEqualTo("watcher: " + feed.substring(1) + " refused the CURVE key "
                            + mallory.publicKey() + " (ZAP status 400: not allowed); dialling it again every 1 s")));
            assertThat(watcher.received()).isZero();

            // allowed while it runs (the directory is read again at each attempt): the next dial gets through
            Files.copy(keys.resolve("mallory"), allowed.resolve("mallory"));
            assertThat(q.awaitCaptureSubscriber(Duration.ofSeconds(10))).isTrue();
            request(q, 1);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> watcher.received() >= 2);
        }
    }

    @Test
    void ctlIsRefusedWithoutTheRightKey() {
        MonitoredQueue q = closer.add(queue().control("@tcp://127.0.0.1:*").controlSecurity(served()).start());
        String control = q.controlEndpoints().get(0).substring(1);
        String serverPublic = keys.resolve("server").toString();

        CommandRun ok = closer.add(CommandRun.start("ctl", control, "stats", "--timeout", "10s",
                "--curve", serverPublic, "--cert", keys.resolve("alice_secret").toString()));
        assertThat(ok.awaitExit(Duration.ofSeconds(20))).as(ok.err()).isZero();
        assertThat(ok.out()).contains("msgs in");

        // 5 s, not 1: JeroMQ sometimes stalls a fresh connection's greeting and Sockets.attach's watchdog
        // redials after 1 s; only a CURVE handshake that happens reaches the ZAP handler and its notice
        CommandRun wrongKey = closer.add(CommandRun.start("ctl", control, "pause", "--timeout", "5s",
                "--curve", serverPublic, "--cert", keys.resolve("mallory_secret").toString()));
        assertThat(wrongKey.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
        assertThat(wrongKey.err()).contains(": no CURVE session (is a proxy with --control listening there");
        CommandRun noKey = closer.add(CommandRun.start("ctl", control, "pause", "--timeout", "1s"));
        assertThat(noKey.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
        assertThat(q.isPaused()).isFalse();
        // the ZAP handler's thread reports it: it may come a moment after the client gave up
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(notices).anySatisfy(n -> assertThat(n).startsWith("control: refused CURVE client 127.0.0.1")));
    }

    @Test
    void exampleClientThroughACurveFrontend() {
        MonitoredQueue q = closer.add(queue().frontendSecurity(served()).start());
        CommandRun client = closer.add(CommandRun.start("example", "client", "--connect",
                connect(q.frontendEndpoints()), "--count", "2", "--curve", keys.resolve("server").toString(),
                "--cert", keys.resolve("alice_secret").toString(), "--timeout", "10s"));
        assertThat(client.awaitExit(Duration.ofSeconds(20))).as(client.err()).isZero();
        assertThat(client.outLines()).containsExactly("0 result:  0", "1 result:  2");
    }
}
