package io.zmqtap.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalSizeTest {
    @Test
    void theEnvironmentComesFirstThenSttyThenEightyByTwentyFour() {
        assertThat(TerminalSize.detect(Map.of("COLUMNS", "132", "LINES", "50"), () -> "24 80"))
                .isEqualTo(new TerminalSize(132, 50));
        assertThat(TerminalSize.detect(Map.of(), () -> "40 120\n")).isEqualTo(new TerminalSize(120, 40));
        assertThat(TerminalSize.detect(Map.of("COLUMNS", "100"), () -> "40 120")).isEqualTo(new TerminalSize(100, 40));
        assertThat(TerminalSize.detect(Map.of(), () -> null)).isEqualTo(TerminalSize.DEFAULT);
    }

    @Test
    void nonsenseIsIgnored() {
        assertThat(TerminalSize.detect(Map.of("COLUMNS", "wide", "LINES", "-3"), () -> "0 0"))
                .isEqualTo(new TerminalSize(80, 24));
        assertThat(TerminalSize.detect(Map.of(), () -> "stty: 'standard input': Inappropriate ioctl for device"))
                .isEqualTo(TerminalSize.DEFAULT);
    }
}
