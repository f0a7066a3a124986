package io.zmqtap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecoderBenchTest {
    @Test
    void shortRunDecodesBothStreamsCleanlyAndReportsBothRates() {
        DecoderBench.Result result = DecoderBench.run(Duration.ofMillis(400)); // throws if a stream fails to decode
        assertThat(result.largeBytesPerSecond()).isPositive();
        assertThat(result.smallFramesPerSecond()).isPositive();
        assertThat(result.toString()).contains("GB/s").contains("million frames/s");
    }
}
