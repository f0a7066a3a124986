package io.zmqtap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zmqtap.testing.CommandRun;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The control socket binds loopback unless told otherwise (issue 13: TERMINATE from the machine's
 * other address stopped the proxy), and a bind other machines can reach is one warning line.
 */
class ControlExposureTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CONTROL = Pattern.compile("control @tcp://([^ ]+):(\\d+)");

    /** This machine's first non-loopback IPv4 address, or null. */
    private static InetAddress nonLoopback() throws SocketException {
        for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!i.isUp() || i.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(i.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a;
                }
            }
        }
        return null;
    }

    private static Matcher control(CommandRun run) {
        await().atMost(TIMEOUT).until(() -> CONTROL.matcher(run.err()).find());
        Matcher m = CONTROL.matcher(run.err());
        assertThat(m.find()).isTrue();
        return m;
    }

    private static CommandRun queue(String control) {
        return CommandRun.start("queue", "--frontend", "@tcp://127.0.0.1:*", "--backend", ">tcp://127.0.0.1:1",
                "--capture", "none", "--control", control, "--color", "never");
    }

    @Test
    void aStarControlBindsLoopbackOnlyAndSaysNothing() throws IOException {
        InetAddress other = nonLoopback();
        Assumptions.assumeTrue(other != null, "this machine has no non-loopback address");
        try (CommandRun run = queue("@tcp://*:*")) {
            Matcher m = control(run);
            assertThat(m.group(1)).isEqualTo("127.0.0.1");
            int port = Integer.parseInt(m.group(2));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            }
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(other, port), 2_000);
                }
            }).isInstanceOf(ConnectException.class);
            assertThat(run.err()).doesNotContain("warning");
        }
    }

    @Test
    void aControlWrittenOnEveryInterfaceBindsThereWithOneWarningLine() throws IOException {
        InetAddress other = nonLoopback();
        Assumptions.assumeTrue(other != null, "this machine has no non-loopback address");
        try (CommandRun run = queue("@tcp://0.0.0.0:*")) {
            int port = Integer.parseInt(control(run).group(2));
            await().atMost(TIMEOUT).until(() -> run.err().contains("warning"));
            assertThat(run.err().lines().filter(l -> l.contains("warning"))).singleElement().asString()
                    .startsWith("zmqtap: warning: control socket tcp://0.0.0.0:" + port + " is reachable from other "
                            + "machines without CURVE: whoever connects can PAUSE, RESUME or TERMINATE the proxy");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(other, port), 2_000); // as written: reachable, and said so
            }
        }
    }
}
