package io.zmqtap.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.Direction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnvelopeMetadataTest {
    @Test
    void whatIsWrittenIsReadBackToTheNanosecond() {
        Instant t = Instant.parse("2026-11-26T10:15:02.481234567Z");
        EnvelopeMetadata m = EnvelopeMetadata.of(t, Direction.OUT, 17, 3);

        assertThat(new String(m.encode(), StandardCharsets.US_ASCII))
                .isEqualTo("{\"ts_ns\":1795688102481234567,\"direction\":\"out\",\"seq\":17,\"dropped\":3}");
        assertThat(EnvelopeMetadata.parse(m.encode())).isEqualTo(m);
        assertThat(m.time()).isEqualTo(t);
    }

    @Test
    void fieldsInAnyOrderWithSpacesAndFieldsALaterVersionAddsAreRead() {
        assertThat(parse(" {\"seq\":2,\"ts_ns\":5}")).isNull(); // not where metadata starts
        assertThat(parse("{\"seq\" : 2, \"engine\":\"wire\", \"ts_ns\":5, \"conn\":-1 }"))
                .isEqualTo(new EnvelopeMetadata(5, Direction.UNKNOWN, 2, 0));
        assertThat(parse("{\"ts_ns\":5,\"direction\":\"?\",\"seq\":2,\"dropped\":0}"))
                .isEqualTo(new EnvelopeMetadata(5, Direction.UNKNOWN, 2, 0));
    }

    @Test
    void framesThatAreNotZmqtapsMetadataAreRefused() {
        for (String frame : new String[] {
                "", "3", "{}", "{\"ts_ns\":5}", "{\"seq\":1}", "{\"ts_ns\":5,\"seq\":1", "{\"ts_ns\":5,\"seq\":1}x",
                "{\"ts_ns\":5,\"seq\":1,\"direction\":\"sideways\"}", "{\"ts_ns\":5,\"seq\":1,\"direction\":3}",
                "{\"ts_ns\":5.5,\"seq\":1}", "{\"ts_ns\":99999999999999999999,\"seq\":1}",
                "{\"ts_ns\":5,\"seq\":1,\"a\":{\"b\":1}}", "{\"ts_ns\":5,\"seq\":1,\"a\":\"\\\"\"}",
                "{\"ts_ns\":5,\"seq\":-}", "{\"ts_ns\":5,,\"seq\":1}", "{\"ts_ns\":5 \"seq\":1}"}) {
            assertThat(parse(frame)).as(frame).isNull();
        }
        assertThat(EnvelopeMetadata.parse(new byte[EnvelopeMetadata.MAX_BYTES + 1])).isNull();
    }

    private static EnvelopeMetadata parse(String s) {
        return EnvelopeMetadata.parse(s.getBytes(StandardCharsets.UTF_8));
    }
}
