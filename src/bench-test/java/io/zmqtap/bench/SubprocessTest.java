package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.ZmqTapException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SubprocessTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aChildAnswersLineByLineAndOtherOutputIsPassedOver() {
        // reads a command, prints a stray line, then the answer; ends when stdin closes
        Subprocess p = Subprocess.start("shell", List.of("sh", "-c",
                "echo ready; while read cmd; do echo noise; echo \"answer $cmd\"; done"), true);
        try {
            assertThat(p.awaitLine("ready"::equals, WAIT)).isEqualTo("ready");
            assertThat(p.request("one", "answer ", WAIT)).isEqualTo("answer one");
            assertThat(p.request("two", "answer ", WAIT)).isEqualTo("answer two");
        } finally {
            p.stop();
        }
        assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void aChildThatExitsWithoutItsReadyLineIsAOneLineErrorWithItsOutputAndStatus() {
        Subprocess p = Subprocess.start("shell", List.of("sh", "-c", "echo starting; echo failed >&2; exit 3"), true);

        assertThatThrownBy(() -> p.awaitLine("ready"::equals, WAIT))
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("shell did not start: exited with 3, starting | failed");
        p.stop();
    }

    @Test
    void aChildThatDoesNotAnswerInTimeIsAOneLineError() {
        Subprocess p = Subprocess.start("shell", List.of("sh", "-c", "echo ready; cat > /dev/null"), true);
        try {
            p.awaitLine("ready"::equals, WAIT);

            assertThatThrownBy(() -> p.request("count", "count ", Duration.ofMillis(200)))
                    .isInstanceOf(ZmqTapException.class)
                    .hasMessage("shell did not answer 'count' in 200 ms: ready");
        } finally {
            p.stop();
        }
    }

    @Test
    void aShortCommandRunsToItsEndWithItsStdoutAndStatus() throws Exception {
        assertThat(Subprocess.run(List.of("sh", "-c", "echo 4.3.4; echo warning >&2; exit 2"), WAIT))
                .contains(new Subprocess.Finished(2, "4.3.4"));
        assertThat(Subprocess.run(List.of("sleep", "5"), Duration.ofMillis(200))).as("did not end in time").isEmpty();
    }

    @Test
    void aChildThatIgnoresStdinAndSigtermIsKilled() {
        Subprocess p = Subprocess.start("stubborn shell", List.of("sh", "-c", "trap '' TERM; echo ready; "
                + "while true; do sleep 0.1; done"), true);
        p.awaitLine("ready"::equals, WAIT);

        p.stop();

        assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }
}
