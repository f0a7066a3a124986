package io.zmqtap.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureFilterTest {
    @Test
    void withNeitherPortsNorHostEveryTcpSegment() {
        assertThat(CaptureFilter.expression(null, List.of(), null)).isEqualTo("tcp");
    }

    @Test
    void portsAreAlternatives() {
        assertThat(CaptureFilter.expression(null, List.of(5555), null)).isEqualTo("tcp port 5555");
        assertThat(CaptureFilter.expression(null, List.of(5555, 5556), null)).isEqualTo("tcp port 5555 or tcp port 5556");
    }

    @Test
    void aHostNarrowsThePortsAsAWhole() {
        assertThat(CaptureFilter.expression(null, List.of(5555), "10.0.0.7")).isEqualTo("tcp port 5555 and host 10.0.0.7");
        assertThat(CaptureFilter.expression(null, List.of(5555, 5556), "db1"))
                .isEqualTo("(tcp port 5555 or tcp port 5556) and host db1");
        assertThat(CaptureFilter.expression(null, List.of(), "db1")).isEqualTo("tcp and host db1");
    }

    @Test
    void aRawExpressionIsUsedAsGivenWhateverThePorts() {
        assertThat(CaptureFilter.expression(" tcp and net 10.0.0.0/8 ", List.of(5555), "db1"))
                .isEqualTo("tcp and net 10.0.0.0/8");
        assertThat(CaptureFilter.expression("  ", List.of(5555), null)).isEqualTo("tcp port 5555");
    }
}
