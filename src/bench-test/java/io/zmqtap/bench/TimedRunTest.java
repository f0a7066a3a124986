package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.zmqtap.ZmqTapException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class TimedRunTest {
    @Test
    void measuresTheChildsCpuTimeAndPeakMemory(@TempDir Path dir) throws Exception {
        TimedRun timer = TimedRun.create(dir, true);
        // 64 MB touched, then a CPU-bound loop: the child's own rusage must show both
        TimedRun.Stats s = timer.run("python", List.of(LibzmqSetup.PYTHON, "-c",
                "b = bytearray(64 << 20)\nn = 0\nfor i in range(3_000_000): n += i"), Duration.ofSeconds(60));

        assertThat(s.peakRssKb()).isGreaterThan(64 * 1024);
        assertThat(s.userSeconds()).isPositive();
        assertThat(s.wallSeconds()).isPositive();
        assertThat(timer.pinned()).isEqualTo(TimedRun.onPath("taskset"));
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("rusage.py");
        }
    }

    @Test
    void aFailingChildIsAOneLineErrorWithTheLastThingItSaid(@TempDir Path dir) throws Exception {
        TimedRun timer = TimedRun.create(dir, false);

        assertThatThrownBy(() -> timer.run("python", List.of(LibzmqSetup.PYTHON, "-c",
                "import sys; print('first', file=sys.stderr); sys.exit('no capture here')"), Duration.ofSeconds(60)))
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("python failed with exit code 1: no capture here")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aChildThatOutlivesItsTimeoutIsStopped(@TempDir Path dir) throws Exception {
        TimedRun timer = TimedRun.create(dir, false);
        String seconds = "30.4711"; // names this test's child among all processes

        assertThatThrownBy(() -> timer.run("sleep", List.of("sleep", seconds), Duration.ofMillis(500)))
                .isInstanceOf(ZmqTapException.class)
                .hasMessage("sleep took longer than 500 ms: stopped");
        // the child itself, not only the wrapper that reaps it
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.allProcesses()
                .noneMatch(p -> p.info().arguments().map(a -> List.of(a).contains(seconds)).orElse(false)));
    }
}
