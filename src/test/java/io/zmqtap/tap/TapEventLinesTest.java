package io.zmqtap.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.capture.CaptureEvent;
import io.zmqtap.capture.CommandEvent;
import io.zmqtap.capture.ConnectionEvent;
import io.zmqtap.capture.Direction;
import io.zmqtap.capture.Frame;
import io.zmqtap.capture.HandshakeEvent;
import io.zmqtap.capture.MessageEvent;
import io.zmqtap.capture.ProtocolErrorEvent;
import io.zmqtap.sink.Ansi;
import io.zmqtap.sink.ConsoleSink;
import io.zmqtap.sink.JsonSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the tap's events read on the console and in JSON lines. */
class TapEventLinesTest {
    private static final Instant T = Instant.parse("2026-11-26T10:15:02.481Z");
    private static final String TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault()).format(T);

    private static ConnectionEvent connection(ConnectionEvent.Kind kind) {
        return new ConnectionEvent(T, "c1", kind, "127.0.0.1:53122", "127.0.0.1:5555", "REQ", "REP", "3.1", "NULL",
                182, 170, 5, 5);
    }

    private static String console(CaptureEvent e) {
        StringWriter w = new StringWriter();
        new ConsoleSink(new PrintWriter(w), Ansi.OFF, 64, true).accept(e);
        return w.toString().stripTrailing();
    }

    @Test
    void openAndCloseLinesNameBothPeersAndTheProtocol() {
        assertThat(console(connection(ConnectionEvent.Kind.OPENED)))
                .isEqualTo(TIME + "  c1  open   127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL");
        assertThat(console(connection(ConnectionEvent.Kind.CLOSED)))
                .isEqualTo(TIME + "  c1  close  127.0.0.1:53122 -> 127.0.0.1:5555  REQ -> REP  ZMTP 3.1 NULL"
                        + "  in 5 msgs 182 B  out 5 msgs 170 B");
    }

    @Test
    void unknownSocketTypesShowAsQuestionMarks() {
        ConnectionEvent e = new ConnectionEvent(T, "c2", ConnectionEvent.Kind.OPENED, "127.0.0.1:1", "127.0.0.1:2",
                null, null, null, null, 0, 0, 0, 0);
        assertThat(console(e)).isEqualTo(TIME + "  c2  open   127.0.0.1:1 -> 127.0.0.1:2  ? -> ?  ZMTP ? ?");
    }

    @Test
    void handshakeCommandAndErrorLines() {
        HandshakeEvent h = new HandshakeEvent(T, "c1", Direction.IN, "3.1", "NULL", false, "REQ",
                Frame.of("client_id_abc"), Map.of("Resource", Frame.of("/x")));
        assertThat(console(h)).isEqualTo(TIME + "  c1  in   ready  REQ  ZMTP 3.1 NULL  identity client_id_abc  Resource \"/x\"");
        CommandEvent sub = new CommandEvent(T, "c3", Direction.IN, "SUBSCRIBE", Frame.of("weather"), "(ZMTP 3.0 data frame)");
        assertThat(console(sub)).isEqualTo(TIME + "  c3  in   SUBSCRIBE \"weather\"  (ZMTP 3.0 data frame)");
        ProtocolErrorEvent err = new ProtocolErrorEvent(T, "c4", Direction.OUT, 0, "bad greeting");
        assertThat(console(err)).isEqualTo(TIME + "  c4  out  ! protocol error at byte 0: bad greeting"
                + " (decoding stopped, still forwarding)");
    }

    @Test
    void messageLinesAreUnchanged() {
        MessageEvent m = new MessageEvent(T, "c1", Direction.IN, Frame.of("client_id_abc"), List.of(), List.of(Frame.of("3")));
        assertThat(console(m)).isEqualTo(TIME + "  c1  in   client_id_abc     \"3\"");
    }

    @Test
    void jsonCarriesEveryField() {
        assertThat(JsonSink.toJson(connection(ConnectionEvent.Kind.CLOSED)).toString()).isEqualTo(
                "{\"type\":\"connection\",\"time\":\"2026-11-26T10:15:02.481Z\",\"source\":\"c1\",\"kind\":\"closed\","
                        + "\"client\":\"127.0.0.1:53122\",\"upstream\":\"127.0.0.1:5555\",\"clientSocketType\":\"REQ\","
                        + "\"serverSocketType\":\"REP\",\"version\":\"3.1\",\"mechanism\":\"NULL\",\"bytesIn\":182,"
                        + "\"bytesOut\":170,\"messagesIn\":5,\"messagesOut\":5}");
        HandshakeEvent h = new HandshakeEvent(T, "c1", Direction.OUT, "3.0", "PLAIN", true, "ROUTER", null, Map.of());
        assertThat(JsonSink.toJson(h).toString()).isEqualTo(
                "{\"type\":\"handshake\",\"time\":\"2026-11-26T10:15:02.481Z\",\"source\":\"c1\",\"direction\":\"out\","
                        + "\"version\":\"3.0\",\"mechanism\":\"PLAIN\",\"asServer\":true,\"socketType\":\"ROUTER\","
                        + "\"identity\":null,\"properties\":{}}");
        CommandEvent hello = new CommandEvent(T, "c5", Direction.IN, "HELLO", null, "username \"admin\"  password ****");
        assertThat(JsonSink.toJson(hello).toString()).isEqualTo(
                "{\"type\":\"command\",\"time\":\"2026-11-26T10:15:02.481Z\",\"source\":\"c5\",\"direction\":\"in\","
                        + "\"name\":\"HELLO\",\"detail\":\"username \\\"admin\\\"  password ****\"}");
        ProtocolErrorEvent err = new ProtocolErrorEvent(T, "c4", Direction.IN, 7, "bad frame");
        assertThat(JsonSink.toJson(err).toString()).isEqualTo(
                "{\"type\":\"protocol_error\",\"time\":\"2026-11-26T10:15:02.481Z\",\"source\":\"c4\",\"direction\":\"in\","
                        + "\"offset\":7,\"message\":\"bad frame\"}");
    }
}
