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

    @Test
    void aPlainCaptureFeedAndControlSocketAdmitOnlyTheirUsersAndSayWhatTheyExpose() throws Exception {
        Path users = Files.writeString(keys.resolve("users"), "alice=wonderland\n");
        // every port picked by the queue as it binds (a port found free beforehand may be taken by then)
        CommandRun queue = closer.add(CommandRun.start("queue", "--color", "never", "--in", "@tcp://127.0.0.1:*",
                "--out", backend(), "--mon", "@tcp://*:*", "--mon-plain", users.toString(), "--control",
                "@tcp://127.0.0.1:*", "--control-plain", users.toString(), "--stats", "200ms"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(queue.err()).contains("(engine "));
        String front = "@tcp://127.0.0.1:" + boundPort(queue.err(), "frontend ROUTER");
        int mon = boundPort(queue.err(), "capture");
        String control = "tcp://127.0.0.1:" + boundPort(queue.err(), "control");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queue.err().contains(
                "is reachable from other machines with PLAIN, not CURVE: its passwords and every message forwarded "
                        + "cross the network in clear"));
        String feed = ">tcp://127.0.0.1:" + mon;

        CommandRun wrong = closer.add(CommandRun.start("watch", "--json", feed, "--plain", "alice:guess"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.err().contains(", capture refused 1"));
        CommandRun watch = closer.add(CommandRun.start("watch", "--json", "-n", "2", feed, "--plain",
                "alice:wonderland"));
        // a SUB's subscription travels after its handshake: ask until the watcher has its 2 messages
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            io.zmqtap.example.DoublingClient.run(">" + front.substring(1), null, 1, Duration.ofSeconds(5),
                    new PrintWriter(new StringWriter()));
            return watch.out().contains("\"dir\":\"out\"");
        });
        assertThat(watch.awaitExit(Duration.ofSeconds(20))).as(watch.err()).isZero();
        assertThat(watch.out()).contains("\"dir\":\"in\"").contains("\"dir\":\"out\"");
        assertThat(wrong.out()).doesNotContain("\"dir\"");

        CommandRun ok = closer.add(CommandRun.start("ctl", control, "stats", "--timeout", "10s", "--plain",
                "alice:wonderland"));
        assertThat(ok.awaitExit(Duration.ofSeconds(20))).as(ok.err()).isZero();
        CommandRun refused = closer.add(CommandRun.start("ctl", control, "pause", "--timeout", "3s", "--plain",
                "alice:guess"));
        assertThat(refused.awaitExit(Duration.ofSeconds(20))).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> queue.err().contains(", control refused 1"));
    }

    /** The port {@code socket} (e.g. {@code capture}) bound, from the queue's first line. */
    private static int boundPort(String err, String socket) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(socket + " @tcp://[^,( ]+:(\\d+)").matcher(err);
        assertThat(m.find()).as("%s in %s", socket, err).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void plainSocketsShareOnePasswordsFile() throws Exception {
        Path a = Files.writeString(keys.resolve("a"), "alice=wonderland\n");
        Path b = Files.writeString(keys.resolve("b"), "bob=builder\n");
        CommandRun r = closer.add(CommandRun.start("queue", "--in", "@tcp://127.0.0.1:0", "--out", backend(),
                "--in-plain", a.toString(), "--mon-plain", b.toString()));
        assertThat(r.awaitExit(Duration.ofSeconds(10))).isEqualTo(2);
        assertThat(r.err()).isEqualTo("zmqtap: --in-plain " + a + " and --mon-plain " + b + ": every socket that "
                + "serves PLAIN is checked against one passwords file; give the same file" + System.lineSeparator());
    }
}
