package io.zmqtap.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timestamps written into chars are the text RFC 3339 asks for, whatever the year a file says. */
class TimeTextTest {
    @Test
    void utcHasNineFractionDigitsAndAZ() {
        assertThat(TimeText.utc(Instant.parse("2026-11-26T10:15:02.481234Z"))).isEqualTo("2026-11-26T10:15:02.481234000Z");
        assertThat(TimeText.utc(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000000000Z");
    }

    @Test
    void yearsPastNineThousandNineHundredNinetyNineFitTheLongestText() {
        // pcapng's 64-bit timestamps can say so; the text grows a sign and digits, it does not throw
        Instant last = LocalDateTime.MAX.toInstant(ZoneOffset.UTC);
        Instant first = LocalDateTime.MIN.toInstant(ZoneOffset.UTC);
        assertThat(TimeText.utc(last)).isEqualTo("+999999999-12-31T23:59:59.999999999Z");
        assertThat(TimeText.utc(first)).isEqualTo("-999999999-01-01T00:00:00.000000000Z");
        char[] into = new char[TimeText.UTC_MAX_LENGTH];
        assertThat(new String(into, 0, TimeText.utc(last, into))).isEqualTo(TimeText.utc(last));
        MessageEvent m = new MessageEvent(last, "f.pcap", "c1", 1, Direction.IN, null, List.of(Frame.of("x")), false);
        assertThat(EventJson.toJson(m).get("ts").asText()).isEqualTo("+999999999-12-31T23:59:59.999999999Z");
    }
}
