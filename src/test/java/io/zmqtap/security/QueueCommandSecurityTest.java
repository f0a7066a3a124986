package io.zmqtap.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.example.DoublingServer;
import io.zmqtap.testing.Closer;
import io.zmqtap.testing.CommandRun;
import io.zmqtap.testing.LoopbackPorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zmqtap queue} with the security options, libzmq (pyzmq) clients through it. */
class QueueCommandSecurityTest {
    @TempDir
    Path keys;
    private final Closer closer = new Closer();

    @AfterEach
    void stop() {
        closer.close();
    }

    private String backend() {
        DoublingServer server = closer.add(DoublingServer.start("@tcp://127.0.0.1:*",
                new PrintWriter(new StringWriter())));
        return ">" + server.endpoints().get(0).substring(1);
    }

    @Test
    void queueServesCurveToAllowedKeysAndSaysWhatItRefuses() throws Exception {
        Certificates.generate(keys, "server");
        Certificates.generate(keys, "alice");
        Certificates.Pair mallory = Certificates.generate(keys, "mallory");
        Path allowed = Files.createDirectories(keys.resolve("allowed"));
        Files.copy(keys.resolve("alice"), allowed.resolve("alice"));
        String front = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        CommandRun queue = closer.add(CommandRun.start("queue", "--color", "never", "--in", front,
                "--out", backend(), "--mon", "none", "--in-curve", keys.resolve("server_secret").toString(),
                "--allow", allowed.toString(), "--stats", "200ms"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.err().contains("(engine jeromq"));
        assertThat(queue.err()).contains("zmqtap: CURVE on the frontend: the JeroMQ engine serves this queue");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.err().contains(", frontend refused 0, "));

        String serverPublic = keys.resolve("server").toString();
        assertThat(QueueSecurityTest.ask(front, 10_000, "curve", serverPublic,
                keys.resolve("alice_secret").toString())).isEqualTo("42");
        assertThat(QueueSecurityTest.ask(front, 1_500, "curve", serverPublic,
                keys.resolve("mallory_secret").toString())).isEqualTo("timeout");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.err().contains(
                "zmqtap: frontend: refused CURVE client 127.0.0.1 (key " + mallory.publicKey() + ")"));
        // the running statistics count it too
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.err().contains(", frontend refused 1, "));
    }

    @Test
    void aCaptureFeedOnEveryInterfaceIsWarnedAboutUnlessItServesCurve() throws Exception {
        Certificates.generate(keys, "feed");
        Certificates.generate(keys, "reader");
        Path allowed = Files.createDirectories(keys.resolve("readers"));
        Files.copy(keys.resolve("reader"), allowed.resolve("reader"));
        String[] open = {"queue", "--color", "never", "--in", "@tcp://127.0.0.1:" + LoopbackPorts.free(), "--out",
            backend(), "--mon", "@tcp://*:" + LoopbackPorts.free()};
        CommandRun plain = closer.add(CommandRun.start(open));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> plain.err().contains("(engine "));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> plain.err().contains("warning: capture feed"));

        String[] locked = java.util.Arrays.copyOf(open, open.length + 4);
        locked[4] = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        locked[8] = "@tcp://*:" + LoopbackPorts.free();
        locked[open.length] = "--mon-curve";
        locked[open.length + 1] = keys.resolve("feed_secret").toString();
        locked[open.length + 2] = "--allow";
        locked[open.length + 3] = allowed.toString();
        CommandRun curve = closer.add(CommandRun.start(locked));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> curve.err().contains("(engine "));
        Thread.sleep(300); // the warning would come with the start line; give it a moment to be sure it does not
        assertThat(curve.err()).doesNotContain("warning: capture feed");
    }

    @Test
    void queueServesPlainUsersFromAFile() throws Exception {
        Path users = Files.writeString(keys.resolve("users"), "alice=wonderland\nbob=builder\n");
        String front = "@tcp://127.0.0.1:" + LoopbackPorts.free();
        CommandRun queue = closer.add(CommandRun.start("queue", "--color", "never", "--in", front,
                "--out", backend(), "--mon", "none", "--in-plain", users.toString()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.err().contains("(engine jeromq"));
        assertThat(QueueSecurityTest.ask(front, 10_000, "plain", "bob", "builder")).isEqualTo("42");
        assertThat(QueueSecurityTest.ask(front, 1_500, "plain", "eve", "builder")).isEqualTo("timeout");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.err().contains(
                "zmqtap: frontend: refused PLAIN client 127.0.0.1 (user 'eve'): wrong user name or password"));
    }

    @Test
    void optionsThatDoNotGoTogetherAreOneLine() throws Exception {
        Certificates.generate(keys, "server");
        CommandRun r = closer.add(CommandRun.start("queue", "--in", "@tcp://127.0.0.1:*", "--out", ">tcp://127.0.0.1:1",
                "--mon", "none", "--out-curve", keys.resolve("server").toString()));
        assertThat(r.awaitExit(Duration.ofSeconds(10))).isEqualTo(2);
        // alone, --out-curve serves CURVE on the backend: a public certificate cannot
        assertThat(r.err()).isEqualTo("zmqtap: --out-curve alone serves CURVE with a secret certificate (to connect "
                + "as a client, add --out-cert): " + keys.resolve("server") + " is a public certificate, not a secret "
                + "one (it has no curve/secret-key); give the NAME_secret file" + System.lineSeparator());
        CommandRun noCurve0 = closer.add(CommandRun.start("queue", "--in", "@tcp://127.0.0.1:*", "--out",
                ">tcp://127.0.0.1:1", "--mon", "none", "--out-cert", keys.resolve("server_secret").toString()));
        assertThat(noCurve0.awaitExit(Duration.ofSeconds(10))).isEqualTo(2);
        assertThat(noCurve0.err()).isEqualTo("zmqtap: --out-curve and --out-cert go together: the server's public "
                + "certificate and the backend's own secret one" + System.lineSeparator());
        CommandRun noCurve = closer.add(CommandRun.start("queue", "--in", "@tcp://127.0.0.1:*", "--out",
                ">tcp://127.0.0.1:1", "--mon", "none", "--allow", keys.toString()));
        assertThat(noCurve.awaitExit(Duration.ofSeconds(10))).isEqualTo(2);
        assertThat(noCurve.err()).contains("but no socket serves CURVE");
    }
}
