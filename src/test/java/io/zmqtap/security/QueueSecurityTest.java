package io.zmqtap.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.BadValueException;
import io.zmqtap.example.DoublingClient;
import io.zmqtap.event.EventJson;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.testing.ChildProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CURVE and PLAIN on the queue with libzmq 4.3 peers (pyzmq): clients through the frontend, the
 * allowlist (and its reload while running), refusals counted and reported, the backend as a CURVE
 * client.
 */
class QueueSecurityTest {
    /** A libzmq REQ client: sends 21 and prints the reply, or "timeout". */
    static final String CLIENT = String.join("\n",
            "import sys, zmq, zmq.auth",
            "endpoint, timeout, mode, a, b = sys.argv[1:6]",
            "ctx = zmq.Context()",
            "s = ctx.socket(zmq.REQ)",
            "s.linger = 0",
            "s.rcvtimeo = int(timeout)",
            "if mode == 'curve':",
            "    s.curve_serverkey = zmq.auth.load_certificate(a)[0]",
            "    s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(b)",
            "else:",
            "    s.plain_username = a.encode()",
            "    s.plain_password = b.encode()",
            "s.connect(endpoint)",
            "s.send(b'21')",
            "try:",
            "    print(s.recv().decode())",
            "except zmq.Again:",
            "    print('timeout')",
            "ctx.destroy(0)");

    /** A libzmq CURVE SUB reader of a capture feed: prints "connecting", then blocks until killed. */
    static final String READER = String.join("\n",
            "import sys, zmq, zmq.auth",
            "endpoint, server, own = sys.argv[1:4]",
            "ctx = zmq.Context()",
            "s = ctx.socket(zmq.SUB)",
            "s.linger = 0",
            "s.curve_serverkey = zmq.auth.load_certificate(server)[0]",
            "s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(own)",
            "s.subscribe(b'')",
            "s.connect(endpoint)",
            "print('connecting', flush=True)",
            "s.recv()");

    @TempDir
    Path keys;
    private DoublingServer server;
    private final List<String> notices = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() {
        server = DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter()));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String backend() {
        return ">" + server.endpoints().get(0).substring(1);
    }

    static String ask(String endpoint, int timeoutMillis, String mode, String a, String b) {
        try (ChildProcess py = ChildProcess.python("libzmq " + mode + " client", CLIENT,
                List.of(endpoint.substring(1), Integer.toString(timeoutMillis), mode, a, b))) {
            return py.nextLine(Duration.ofMillis(timeoutMillis + 20_000));
        }
    }

    @Test
    void allowedCurveClientsAreServedOthersRefusedCountedAndTheAllowlistReloads() throws Exception {
        Certificates.generate(keys, "server");
        Certificates.generate(keys, "alice");
        Certificates.Pair mallory = Certificates.generate(keys, "mallory");
        Path allowed = Files.createDirectories(keys.resolve("allowed"));
        Files.copy(keys.resolve("alice"), allowed.resolve("alice"));
        Files.writeString(allowed.resolve("README"), "public certificates of the clients allowed\n");
        try (MonitoredQueue q = MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*").backend(backend())
                .frontendSecurity(SocketSecurity.curveServer(Certificates.loadSecret(keys.resolve("server_secret"))))
                .access(AccessRules.none().allowDirectory(allowed))
                .notices(notices::add).start()) {
            assertThat(q.engine()).isEqualTo(MonitoredQueue.Engine.JEROMQ);
            assertThat(notices).contains("CURVE on the frontend: the JeroMQ engine serves this queue");
            String front = q.frontendEndpoints().get(0);
            String serverPublic = keys.resolve("server").toString();

            assertThat(ask(front, 10_000, "curve", serverPublic, keys.resolve("alice_secret").toString()))
                    .isEqualTo("42");
            assertThat(ask(front, 1_500, "curve", serverPublic, keys.resolve("mallory_secret").toString()))
                    .isEqualTo("timeout");
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(notices).anySatisfy(n ->
                    assertThat(n).startsWith("frontend: refused CURVE client 127.0.0.1 (key " + mallory.publicKey()
                            + "): key not in --allow " + allowed)));
            assertThat(notices).anySatisfy(n -> assertThat(n).startsWith("--allow " + allowed + ": skipped README"));
            long refusedBefore = q.refusals();
            assertThat(refusedBefore).isPositive();

            // copied in while running: allowed from the next connection on
            Files.copy(keys.resolve("mallory"), allowed.resolve("mallory"));
            assertThat(ask(front, 10_000, "curve", serverPublic, keys.resolve("mallory_secret").toString()))
                    .isEqualTo("42");
            assertThat(q.refusals()).isEqualTo(refusedBefore);
        }
    }

    @Test
    void refusedClientsAreStatisticsCountersPerSocket() throws Exception {
        Path users = Files.writeString(keys.resolve("users"), "alice=wonderland\n");
        Certificates.generate(keys, "feed");
        Certificates.generate(keys, "mallory");
        Path allowed = Files.createDirectories(keys.resolve("allowed"));
        try (MonitoredQueue q = MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*").backend(backend())
                .capture("@tcp://127.0.0.1:*")
                .frontendSecurity(SocketSecurity.plainServer())
                .captureSecurity(SocketSecurity.curveServer(Certificates.loadSecret(keys.resolve("feed_secret"))))
                .access(AccessRules.none().plainUsers(users).allowDirectory(allowed))
                .notices(notices::add).start()) {
            // every socket that checks its clients has its counter, 0 until one is refused
            assertThat(q.statistics().counters()).containsEntry("frontend_refused", 0L)
                    .containsEntry("capture_refused", 0L).doesNotContainKey("backend_refused");

            assertThat(ask(q.frontendEndpoints().get(0), 1_500, "plain", "alice", "guess")).isEqualTo("timeout");
            try (ChildProcess reader = ChildProcess.python("libzmq CURVE feed reader", READER,
                    List.of(q.captureEndpoints().get(0).substring(1), keys.resolve("feed").toString(),
                            keys.resolve("mallory_secret").toString()))) {
                reader.awaitLine("connecting", Duration.ofSeconds(20));
                Awaitility.await().atMost(Duration.ofSeconds(10))
                        .until(() -> q.statistics().counters().get("capture_refused") > 0);
            }
            // a refusal still on its way when the reader was stopped may land between two reads: wait for a quiet moment
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Map<String, Long> c = q.statistics().counters();
                assertThat(c.get("frontend_refused") + c.get("capture_refused")).isEqualTo(q.refusals());
            });
            Map<String, Long> counters = q.statistics().counters();
            assertThat(counters.get("frontend_refused")).isPositive();
            assertThat(List.copyOf(counters.keySet())).containsSubsequence("unanswered", "frontend_refused",
                    "capture_refused", "notices");
            String json = EventJson.toJson(q.statistics().toEvent(q.source(), Duration.ofSeconds(1), false)).toString();
            assertThat(json).contains("\"frontend_refused\":" + counters.get("frontend_refused"));
            assertThat(q.statistics().summary()).contains("clients refused (frontend ");
        }
    }

    @Test
    void nothingIsCountedAsRefusedWhereNoClientIsChecked() {
        try (MonitoredQueue q = MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*").backend(backend()).start()) {
            assertThat(q.statistics().counters().keySet()).noneMatch(k -> k.endsWith("_refused"));
            assertThat(q.statistics().summary()).doesNotContain("refused");
        }
    }

    @Test
    void plainUsersFromAFile() throws Exception {
        Path users = Files.writeString(keys.resolve("users"), "alice=wonderland\n");
        try (MonitoredQueue q = MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*").backend(backend())
                .frontendSecurity(SocketSecurity.plainServer()).access(AccessRules.none().plainUsers(users))
                .notices(notices::add).start()) {
            String front = q.frontendEndpoints().get(0);
            assertThat(ask(front, 10_000, "plain", "alice", "wonderland")).isEqualTo("42");
            assertThat(ask(front, 1_500, "plain", "alice", "guess")).isEqualTo("timeout");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> notices.contains(
                    "frontend: refused PLAIN client 127.0.0.1 (user 'alice'): wrong user name or password"));
        }
    }

    @Test
    void theBackendConnectsAsACurveClient() {
        server.close();
        Certificates.generate(keys, "server");
        Certificates.generate(keys, "queue");
        server = DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter()),
                SocketSecurity.curveServer(Certificates.loadSecret(keys.resolve("server_secret"))));
        try (MonitoredQueue q = MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*").backend(backend())
                .backendSecurity(SocketSecurity.curveClient(Certificates.loadPublic(keys.resolve("server")),
                        Certificates.loadSecret(keys.resolve("queue_secret")))).start()) {
            StringWriter out = new StringWriter();
            DoublingClient.run(q.frontendEndpoints().get(0).replace("@", ">"), null, 3, Duration.ofSeconds(10),
                    new PrintWriter(out));
            assertThat(out.toString()).contains("2 result:  4");
        }
    }

    @Test
    void addressRulesRefuseNullClientsToo() {
        try (MonitoredQueue q = MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*").backend(backend())
                .access(AccessRules.none().denyAddress("127.0.0.1")).notices(notices::add).start()) {
            assertThat(q.engine()).isEqualTo(MonitoredQueue.Engine.JEROMQ);
            assertThatThrownBy(() -> DoublingClient.run(q.frontendEndpoints().get(0).replace("@", ">"), null, 1,
                    Duration.ofMillis(1_500), new PrintWriter(new StringWriter())))
                    .hasMessageContaining("no reply to request 0");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> notices.contains(
                    "frontend: refused NULL client 127.0.0.1: address in --deny-ip"));
            assertThat(q.refusals()).isPositive();
        }
    }

    @Test
    void theWireEngineSaysItCannotServeCurve() {
        Certificates.generate(keys, "server");
        assertThatThrownBy(() -> MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*").backend(backend())
                .engine(MonitoredQueue.Engine.WIRE)
                .frontendSecurity(SocketSecurity.curveServer(Certificates.loadSecret(keys.resolve("server_secret"))))
                .start()).isInstanceOf(BadValueException.class)
                .hasMessage("the wire engine cannot run this proxy: it speaks the NULL mechanism only, not CURVE on "
                        + "the frontend (use the jeromq engine)");
    }
}
