package io.zmqtap.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.testing.ChildProcess;
import io.zmqtap.testing.Closer;
import io.zmqtap.testing.CommandRun;
import io.zmqtap.testing.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CURVE on {@code zmqtap proxy}'s other patterns with libzmq 4.3 peers (pyzmq): publish/subscribe
 * through {@code forwarder} (XSUB/XPUB, both sides serving CURVE), a pipeline through
 * {@code streamer} (PULL/PUSH, the backend a CURVE client of a libzmq server), and the clients
 * without an allowed key refused, counted and named.
 */
class ProxySecurityTest {
    /**
     * A libzmq peer: {@code TYPE connect ENDPOINT SERVER_PUBLIC OWN_SECRET TIMEOUT_MS} or
     * {@code TYPE bind - OWN_SECRET ALLOWED_DIR TIMEOUT_MS} (serves CURVE to the {@code *.key}
     * certificates of ALLOWED_DIR, prints its port). A PUB or PUSH sends {@code hello N} every 50 ms
     * until TIMEOUT_MS; a SUB or PULL prints the first message, or {@code timeout}.
     */
    static final String PEER = String.join("\n",
            "import sys, time, zmq, zmq.auth",
            "kind, how, endpoint, a, b, timeout = sys.argv[1:7]",
            "ctx = zmq.Context()",
            "s = ctx.socket(getattr(zmq, kind))",
            "s.linger = 0",
            "if how == 'bind':",
            "    from zmq.auth.thread import ThreadAuthenticator",
            "    auth = ThreadAuthenticator(ctx)",
            "    auth.start()",
            "    auth.configure_curve(domain='*', location=b)",
            "    s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(a)",
            "    s.curve_server = True",
            "    print(s.bind_to_random_port('tcp://127.0.0.1'), flush=True)",
            "else:",
            "    s.curve_serverkey = zmq.auth.load_certificate(a)[0]",
            "    s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(b)",
            "    s.connect(endpoint)",
            "end = time.time() + int(timeout) / 1000",
            "if kind in ('PUB', 'PUSH'):",
            "    s.sndtimeo = 50",
            "    n = 0",
            "    while time.time() < end:",
            "        try:",
            "            s.send(b'hello %d' % n)",
            "        except zmq.Again:",
            "            pass",
            "        n += 1",
            "        time.sleep(0.05)",
            "    print('done', flush=True)",
            "else:",
            "    if kind == 'SUB':",
            "        s.subscribe(b'hello')",
            "    s.rcvtimeo = int(timeout)",
            "    try:",
            "        print(s.recv().decode(), flush=True)",
            "    except zmq.Again:",
            "        print('timeout', flush=True)");

    /**
     * As {@link #PEER}, with PLAIN: {@code TYPE connect ENDPOINT USER PASSWORD TIMEOUT_MS} or
     * {@code TYPE bind - USER PASSWORD TIMEOUT_MS} (serves PLAIN to that one user, prints its port).
     */
    static final String PLAIN_PEER = PEER
            .replace("    auth.configure_curve(domain='*', location=b)\n"
                    + "    s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(a)\n"
                    + "    s.curve_server = True\n",
                    "    auth.configure_plain(domain='*', passwords={a: b})\n"
                    + "    s.plain_server = True\n")
            .replace("    s.curve_serverkey = zmq.auth.load_certificate(a)[0]\n"
                    + "    s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(b)\n",
                    "    s.plain_username, s.plain_password = a.encode(), b.encode()\n");

    @TempDir
    Path keys;
    private final Closer closer = new Closer();
    private Path allowed;
    private Certificates.Pair mallory;

    @BeforeEach
    void keys() throws Exception {
        Certificates.generate(keys, "proxy");
        Certificates.generate(keys, "alice");
        Certificates.generate(keys, "bob");
        mallory = Certificates.generate(keys, "mallory");
        allowed = Files.createDirectories(keys.resolve("allowed"));
        Files.copy(keys.resolve("alice"), allowed.resolve("alice"));
        Files.copy(keys.resolve("bob"), allowed.resolve("bob"));
    }

    @AfterEach
    void stop() {
        closer.close();
    }

    private String key(String name) {
        return keys.resolve(name).toString();
    }

    /** A pyzmq peer connecting with CURVE to the proxy as {@code who}. */
    private ChildProcess client(String type, String endpoint, String who, int timeoutMillis) {
        return closer.add(ChildProcess.python("libzmq " + type + " " + who, PEER, List.of(type, "connect",
                endpoint.replace("@", ""), key("proxy"), key(who + "_secret"), Integer.toString(timeoutMillis))));
    }

    private CommandRun proxy(String... args) {
        List<String> all = new ArrayList<>(List.of("proxy"));
        all.addAll(List.of(args));
        all.addAll(List.of("--color", "never", "--mon", "none", "--stats", "200ms"));
        CommandRun p = closer.add(CommandRun.start(all.toArray(String[]::new)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> p.err().contains("(engine jeromq"));
        return p;
    }

    @Test
    void publishSubscribeThroughAForwarderServingCurveOnBothSides() {
        String front = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        String back = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        CommandRun p = proxy("forwarder", "--in", front, "--out", back, "--in-curve", key("proxy_secret"),
                "--out-curve", key("proxy_secret"), "--allow", allowed.toString());
        assertThat(p.err()).contains("zmqtap: CURVE on the frontend: the JeroMQ engine serves this queue");

        ChildProcess subscriber = client("SUB", back, "bob", 20_000);
        ChildProcess refused = client("SUB", back, "mallory", 3_000);
        client("PUB", front, "alice", 25_000);
        // the subscription went upstream through the proxy, and a message came back down
        assertThat(subscriber.nextLine(Duration.ofSeconds(25))).startsWith("hello ");
        assertThat(refused.nextLine(Duration.ofSeconds(25))).isEqualTo("timeout");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> p.err().contains(
                "zmqtap: backend: refused CURVE client 127.0.0.1 (key " + mallory.publicKey() + "): key not in --allow "
                        + allowed));
        // counted per socket in the running statistics
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> p.err().matches("(?s).*frontend refused 0, backend refused [1-9].*"));
    }

    @Test
    void aForwarderWhoseFrontendIsTheCurveClientOfALibzmqPublisher() throws Exception {
        Path publisherAllows = Files.createDirectories(keys.resolve("publisher-allows"));
        Files.copy(keys.resolve("proxy"), publisherAllows.resolve("proxy.key")); // pyzmq reads *.key
        Certificates.generate(keys, "publisher");
        ChildProcess publisher = closer.add(ChildProcess.python("libzmq PUB serving CURVE", PEER, List.of("PUB",
                "bind", "-", key("publisher_secret"), publisherAllows.toString(), "25000")));
        String publisherPort = publisher.nextLine(Duration.ofSeconds(20));

        String back = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        proxy("forwarder", "--in", ">tcp://127.0.0.1:" + publisherPort, "--out", back,
                "--in-curve", key("publisher"), "--in-cert", key("proxy_secret"),
                "--out-curve", key("proxy_secret"), "--allow", allowed.toString());
        ChildProcess subscriber = client("SUB", back, "bob", 20_000);
        assertThat(subscriber.nextLine(Duration.ofSeconds(25))).startsWith("hello ");
    }

    @Test
    void aPipelineThroughAStreamerWhoseBackendIsTheCurveClientOfALibzmqWorker() throws Exception {
        Path workerAllows = Files.createDirectories(keys.resolve("worker-allows"));
        Files.copy(keys.resolve("proxy"), workerAllows.resolve("proxy.key")); // pyzmq reads *.key
        Certificates.generate(keys, "worker");
        ChildProcess worker = closer.add(ChildProcess.python("libzmq PULL worker", PEER, List.of("PULL", "bind", "-",
                key("worker_secret"), workerAllows.toString(), "20000")));
        String workerPort = worker.nextLine(Duration.ofSeconds(20));

        String front = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        CommandRun p = proxy("streamer", "--in", front, "--out", ">tcp://127.0.0.1:" + workerPort,
                "--in-curve", key("proxy_secret"), "--allow", allowed.toString(),
                "--out-curve", key("worker"), "--out-cert", key("proxy_secret"));
        ChildProcess refused = client("PUSH", front, "mallory", 3_000);
        client("PUSH", front, "alice", 20_000);
        assertThat(worker.nextLine(Duration.ofSeconds(25))).startsWith("hello ");
        assertThat(refused.nextLine(Duration.ofSeconds(10))).isEqualTo("done");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> p.err().contains(
                "zmqtap: frontend: refused CURVE client 127.0.0.1 (key " + mallory.publicKey() + ")"));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> p.err().matches("(?s).*frontend refused [1-9].*"));
        assertThat(p.err()).doesNotContain("backend refused"); // a CURVE client checks no one
    }

    @Test
    void plainOnBothSidesOfAForwarder() throws Exception {
        ChildProcess publisher = closer.add(ChildProcess.python("libzmq PUB serving PLAIN", PLAIN_PEER,
                List.of("PUB", "bind", "-", "proxy", "pub-secret", "25000")));
        String publisherPort = publisher.nextLine(Duration.ofSeconds(20));
        Path users = Files.writeString(keys.resolve("users"), "bob=builder\n");

        String back = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        CommandRun p = proxy("forwarder", "--in", ">tcp://127.0.0.1:" + publisherPort, "--out", back,
                "--in-plain-client", "proxy:pub-secret", "--out-plain-server", users.toString());
        ChildProcess subscriber = closer.add(ChildProcess.python("libzmq SUB bob", PLAIN_PEER,
                List.of("SUB", "connect", back.replace("@", ""), "bob", "builder", "20000")));
        ChildProcess refused = closer.add(ChildProcess.python("libzmq SUB with a wrong password", PLAIN_PEER,
                List.of("SUB", "connect", back.replace("@", ""), "bob", "guess", "3000")));
        // the frontend logged in to the publisher, the subscription went up, a message came down
        assertThat(subscriber.nextLine(Duration.ofSeconds(25))).startsWith("hello ");
        assertThat(refused.nextLine(Duration.ofSeconds(25))).isEqualTo("timeout");
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> p.err().matches("(?s).*backend refused [1-9].*"));
        assertThat(p.err()).doesNotContain("guess").doesNotContain("pub-secret");
    }

    @Test
    void oneMechanismPerSide() {
        CommandRun p = closer.add(CommandRun.start("proxy", "forwarder", "--in", ">tcp://127.0.0.1:1", "--out",
                "@tcp://127.0.0.1:0", "--out-plain-server", keys.resolve("users").toString(), "--out-curve",
                key("proxy_secret")));
        assertThat(p.awaitExit(Duration.ofSeconds(10))).isEqualTo(2);
        assertThat(p.err()).isEqualTo("zmqtap: --out-curve and --out-plain-server: the backend speaks one mechanism, "
                + "not both" + System.lineSeparator());
    }
}
