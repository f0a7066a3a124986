package io.zmqtap.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TerminalResizeTest {
    @Test
    void asksOnceThenAgainOnlyAfterTheWindowChanged() {
        AtomicInteger asked = new AtomicInteger();
        TerminalResize size = new TerminalResize(() -> new TerminalSize(80 + asked.incrementAndGet(), 24));

        assertThat(size.get()).isEqualTo(new TerminalSize(81, 24));
        assertThat(size.get()).isEqualTo(new TerminalSize(81, 24));
        assertThat(asked).hasValue(1);

        size.resized();
        assertThat(size.get()).isEqualTo(new TerminalSize(82, 24));
        assertThat(size.get()).isEqualTo(new TerminalSize(82, 24));
        assertThat(asked).hasValue(2);
    }

    @Test
    void installingTheSignalHandlerNeitherFailsNorAsks() {
        AtomicInteger asked = new AtomicInteger();
        TerminalResize size = new TerminalResize(() -> {
            asked.incrementAndGet();
            return TerminalSize.DEFAULT;
        }).onWindowChange();
        assertThat(asked).hasValue(0);
        assertThat(size.get()).isEqualTo(TerminalSize.DEFAULT);
    }

    @Test
    void aSigwinchMakesItAskAgain() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        TerminalResize size = new TerminalResize(() -> new TerminalSize(80 + asked.incrementAndGet(), 24))
                .onWindowChange();
        assertThat(size.get().columns()).isEqualTo(81);

        Process kill = new ProcessBuilder("kill", "-WINCH", String.valueOf(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
        // the JVM runs signal handlers on a thread of its own, a moment later
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> size.get().columns() == 82);
    }
}
