package io.zmqtap.interop;

import static io.zmqtap.interop.Peers.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zmqtap.testing.CommandRun;
import io.zmqtap.testing.ChildProcess;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code zmqtap queue} command, driven by libzmq programs. */
class QueueCommandInteropTest {
    private static final Pattern ENDPOINTS = Pattern.compile(
            "frontend ROUTER @(\\S+), backend DEALER @(\\S+), capture @(\\S+), control @(\\S+)");

    private final Peers peers = new Peers();

    @AfterEach
    void stop() {
        peers.close();
    }

    @Test
    void aPyzmqControlClientGetsTheReplyToTerminateAndTheCommandExitsCleanly() throws Exception {
        String any = "@tcp://127.0.0.1:*";
        CommandRun queue = peers.add(CommandRun.start("queue", "--in", any, "--out", any, "--mon", any,
                "--control", any, "--color", "never"));
        await().atMost(TIMEOUT).until(() -> ENDPOINTS.matcher(queue.err()).find()); // the banner goes to stderr
        Matcher m = ENDPOINTS.matcher(queue.err());
        assertThat(m.find()).isTrue();
        peers.ready("server", ">" + m.group(2));
        ChildProcess client = peers.ready("client", ">" + m.group(1), "2");
        assertThat(client.linesUntil("done", TIMEOUT)).containsExactly("0 result:  0", "1 result:  2");

        ChildProcess ctl = peers.ready("ctl", ">" + m.group(4), "TERMINATE");

        assertThat(ctl.linesUntil("done", TIMEOUT)).containsExactly("TERMINATE [b'']");
        assertThat(queue.awaitExit(TIMEOUT)).as(queue.err()).isZero();
        assertThat(queue.err()).containsPattern("summary [0-9.]+ s: frontend messages in 2, ");
    }
}
