package io.zmqtap.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.example.DoublingClient;
import io.zmqtap.testing.ChildProcess;
import io.zmqtap.testing.Closer;
import io.zmqtap.testing.JsonLines;
import io.zmqtap.testing.CommandRun;
import io.zmqtap.testing.LoopbackPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code queue --out-curve/--out-cert} and {@code --out-plain} against libzmq 4.3 servers (pyzmq
 * REP sockets with pyzmq's ZAP handler): served when allowed, and a refusal said in one notice
 * (JeroMQ itself would hang silently and never dial again), then redialled, so the server allowing
 * the key later is enough.
 */
class BackendSecurityTest {
    /**
     * A libzmq REP server doubling numbers: CURVE with the public certificates of a directory
     * allowed (pyzmq reads {@code *.key} files), or PLAIN with one user; prints its port; a line
     * on stdin names another directory to allow.
     */
    static final String SERVER = String.join("\n",
            "import sys, threading, zmq, zmq.auth",
            "from zmq.auth.thread import ThreadAuthenticator",
            "mode, a, b = sys.argv[1:4]",
            "ctx = zmq.Context()",
            "auth = ThreadAuthenticator(ctx)",
            "auth.start()",
            "s = ctx.socket(zmq.REP)",
            "s.linger = 0",
            "if mode == 'curve':",
            "    auth.configure_curve(domain='*', location=b)",
            "    s.curve_publickey, s.curve_secretkey = zmq.auth.load_certificate(a)",
            "    s.curve_server = True",
            "else:",
            "    auth.configure_plain(domain='*', passwords={a: b})",
            "    s.plain_server = True",
            "print(s.bind_to_random_port('tcp://127.0.0.1'), flush=True)",
            "def allow():",
            "    for line in sys.stdin:",
            "        auth.configure_curve(domain='*', location=line.strip())",
            "        print('allowed', flush=True)",
            "threading.Thread(target=allow, daemon=True).start()",
            "while True:",
            "    m = s.recv()",
            "    s.send(str(int(m) * 2).encode())");

    @TempDir
    Path keys;
    private final Closer closer = new Closer();

    @AfterEach
    void stop() {
        closer.close();
    }

    private ChildProcess server(String mode, String a, String b) {
        return closer.add(ChildProcess.python("libzmq " + mode + " REP server", SERVER, List.of(mode, a, b)));
    }

    /** pyzmq's allowlist: a directory of {@code NAME.key} public certificates (the zcert format). */
    private Path allowing(String dir, String name) throws Exception {
        Path d = Files.createDirectories(keys.resolve(dir));
        Files.copy(keys.resolve(name), d.resolve(name + ".key"));
        return d;
    }

    private CommandRun queue(String front, String port, String... security) {
        List<String> args = new java.util.ArrayList<>(List.of("queue", "--color", "never", "--in", front, "--out",
                ">tcp://localhost:" + port, "--mon", "none"));
        args.addAll(List.of(security));
        CommandRun q = closer.add(CommandRun.start(args.toArray(String[]::new)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> q.err().contains("(engine jeromq"));
        return q;
    }

    private static String doubled(String front, int count, Duration timeout) {
        StringWriter out = new StringWriter();
        DoublingClient.run(front.replace("@", ">"), null, count, timeout, new PrintWriter(out));
        return out.toString();
    }

    @Test
    void aLibzmqCurveServerServesTheQueuesAllowedKeyAndARefusalIsSaidThenRedialled() throws Exception {
        Certificates.generate(keys, "server");
        Certificates.Pair queueKey = Certificates.generate(keys, "queue");
        Certificates.generate(keys, "other");
        Path allowsQueue = allowing("allows-queue", "queue");
        Path allowsOther = allowing("allows-other", "other");
        String[] curve = {"--out-curve", keys.resolve("server").toString(), "--out-cert",
            keys.resolve("queue_secret").toString()};

        ChildProcess allowing = server("curve", keys.resolve("server_secret").toString(), allowsQueue.toString());
        String front = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        queue(front, allowing.nextLine(Duration.ofSeconds(20)), curve);
        assertThat(doubled(front, 3, Duration.ofSeconds(10))).contains("2 result:  4");

        ChildProcess refusing = server("curve", keys.resolve("server_secret").toString(), allowsOther.toString());
        String port = refusing.nextLine(Duration.ofSeconds(20));
        String front2 = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        CommandRun q = queue(front2, port, curve);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> q.err().contains(
                "zmqtap: backend: tcp://127.0.0.1:" + port + " refused the CURVE key " + queueKey.publicKey()
                        + " (ZAP status 400: not allowed); dialling it again every 1 s"));

        // the server allows the key now: the next dial gets through, without restarting the queue
        refusing.send(allowsQueue.toString());
        refusing.awaitLine("allowed", Duration.ofSeconds(10));
        assertThat(doubled(front2, 2, Duration.ofSeconds(15))).contains("1 result:  2");
    }

    @Test
    void aLibzmqPlainServerServesTheRightPasswordAndAWrongOneIsSaid() throws Exception {
        ChildProcess plain = server("plain", "alice", "wonderland");
        String port = plain.nextLine(Duration.ofSeconds(20));
        String front = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        queue(front, port, "--out-plain", "alice:wonderland");
        assertThat(doubled(front, 3, Duration.ofSeconds(10))).contains("2 result:  4");

        String front2 = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        CommandRun q = queue(front2, port, "--out-plain", "alice:guess");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> q.err().contains(
                "zmqtap: backend: tcp://127.0.0.1:" + port + " closed the connection during the PLAIN handshake (a "
                        + "wrong user name or password? a PLAIN server closes a client it refuses), and JeroMQ does "
                        + "not dial it again; dialling it again every 1 s"));
        assertThat(q.err()).doesNotContain("guess");
    }

    @Test
    void whatJeromqPrintsWhenAPlainServerRefusesItGoesToStderrAndStdoutStaysJson() throws Exception {
        ChildProcess plain = server("plain", "alice", "wonderland");
        String port = plain.nextLine(Duration.ofSeconds(20));
        String front = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        ChildProcess q = closer.add(ChildProcess.zmqtap("queue --json", List.of("-Xmx128m"), "queue", "--json",
                "--color", "never", "--in", front, "--out", ">tcp://localhost:" + port, "--mon", "none",
                "--out-plain", "alice:guess"));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> q.stderr().contains(
                "closed the connection during the PLAIN handshake"));
        q.terminate();
        q.awaitExit(Duration.ofSeconds(10));
        q.close(); // its output read to the end

        // the line JeroMQ 0.6.0 prints by itself on System.out when refused, moved to stderr by ZmqTap.main
        assertThat(q.stderr()).contains("PLAIN Client I: invalid handshake command");
        List<String> out = q.printedLines();
        assertThat(out).as("stdout of queue --json").isNotEmpty();
        assertThat(JsonLines.parse(out)).hasSameSizeAs(out); // every line is JSON (parse fails on any other)
    }
}
