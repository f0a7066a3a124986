package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zmqtap.BadValueException;
import io.zmqtap.example.DoublingServer;
import io.zmqtap.proxy.MonitoredQueue;
import io.zmqtap.security.AccessRules;
import io.zmqtap.security.SocketSecurity;
import io.zmqtap.testing.ChildProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --plain USER} and {@code --out-plain USER}: the password from {@code ZMQTAP_PLAIN_PASSWORD}
 * (or a terminal), so it is not in the process list; without either, one line.
 */
class PlainCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void userAndPasswordAsBefore() {
        SocketSecurity s = PlainCredentials.client("--plain", "alice:won:der", k -> null, null);
        assertThat(s.username()).isEqualTo("alice");
        assertThat(s.toString()).isEqualTo("PLAIN client alice");
    }

    @Test
    void aUserAloneTakesThePasswordFromTheEnvironment() {
        SocketSecurity s = PlainCredentials.client("--out-plain", "alice",
                Map.of("ZMQTAP_PLAIN_PASSWORD", "wonderland")::get, null);
        assertThat(s.username()).isEqualTo("alice");
        assertThat(s.mechanism()).isEqualTo(SocketSecurity.Mechanism.PLAIN);
        assertThat(s.server()).isFalse();
    }

    @Test
    void aUserAloneWithNoPasswordToBeHadIsOneLine() {
        assertThatThrownBy(() -> PlainCredentials.client("--plain", "alice", k -> null, null))
                .isInstanceOf(BadValueException.class)
                .hasMessage("--plain alice gives no password: set ZMQTAP_PLAIN_PASSWORD, or run on a terminal to be "
                        + "asked for it");
        assertThatThrownBy(() -> PlainCredentials.client("--plain", "", k -> null, null))
                .hasMessage("bad --plain '': expected USER or USER:PASSWORD");
    }

    @Test
    void theCommandsSayItInOneLine() {
        assumeTrue(System.getenv(PlainCredentials.ENV) == null, "the tests' own environment sets the variable");
        CliTest.Result r = CliTest.run("ctl", "tcp://127.0.0.1:1", "stats", "--plain", "alice");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("zmqtap: --plain alice gives no password: set ZMQTAP_PLAIN_PASSWORD, or run on "
                + "a terminal to be asked for it" + System.lineSeparator());
        CliTest.Result q = CliTest.run("queue", "--in", "@tcp://127.0.0.1:*", "--out", ">tcp://127.0.0.1:1", "--mon",
                "none", "--out-plain", "alice");
        assertThat(q.exit()).isEqualTo(2);
        assertThat(q.err()).isEqualTo("zmqtap: --out-plain alice gives no password: set ZMQTAP_PLAIN_PASSWORD, or "
                + "run on a terminal to be asked for it" + System.lineSeparator());
    }

    /** The real thing: a zmqtap process given only the user name, its password in its environment. */
    @Test
    void aClientProcessGetsItsPasswordFromTheEnvironmentAndItsCommandLineHasNone() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "alice=wonderland\n");
        try (DoublingServer server = DoublingServer.start("@tcp://127.0.0.1:*", new PrintWriter(new StringWriter()));
             MonitoredQueue q = MonitoredQueue.builder().frontend("@tcp://127.0.0.1:*")
                     .backend(">" + server.endpoints().get(0).substring(1))
                     .frontendSecurity(SocketSecurity.plainServer()).access(AccessRules.none().plainUsers(users))
                     .start()) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.zmqtap.cli.ZmqTap", "example", "client",
                    "--connect", ">" + q.frontendEndpoints().get(0).substring(1), "--count", "2", "--plain", "alice"));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put(PlainCredentials.ENV, "wonderland");
            Process p = pb.start();
            try {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.exitValue()).as(out).isZero();
                assertThat(out).contains("1 result:  2");
                assertThat(String.join(" ", command)).doesNotContain("wonderland");
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
