package io.zmqtap.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.ProtocolErrorEvent;
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
        return new ConnectionEvent(T, "tcp://127.0.0.1:4444", "c1", kind, "127.0.0.1:53122", "127.0.0.1:5555", "REQ", "REP", "3.1", "NULL",
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
        ConnectionEvent e = new ConnectionEvent(T, "tcp://127.0.0.1:4444", "c2", ConnectionEvent.Kind.OPENED, "127.0.0.1:1", "127.0.0.1:2",
                null, null, null, null, 0, 0, 0, 0);
        assertThat(console(e)).isEqualTo(TIME + "  c2  open   127.0.0.1:1 -> 127.0.0.1:2  ? -> ?  ZMTP ? ?");
    }

    @Test
    void handshakeCommandAndErrorLines() {
        HandshakeEvent h = new HandshakeEvent(T, "tcp://127.0.0.1:4444", "c1", Direction.IN, "3.1", "NULL", false, "REQ",
                Frame.of("client_id_abc"), Map.of("Resource", Frame.of("/x")));
        assertThat(console(h)).isEqualTo(TIME + "  c1  in   ready  REQ  ZMTP 3.1 NULL  identity client_id_abc  Resource \"/x\"");
        CommandEvent sub = new CommandEvent(T, "tcp://127.0.0.1:4444", "c3", Direction.IN, "SUBSCRIBE", Frame.of("weather"), "(ZMTP 3.0 data frame)");
        assertThat(console(sub)).isEqualTo(TIME + "  c3  in   SUBSCRIBE \"weather\"  (ZMTP 3.0 data frame)");
        ProtocolErrorEvent err = new ProtocolErrorEvent(T, "tcp://127.0.0.1:4444", "c4", Direction.OUT, 0, "bad greeting");
        assertThat(console(err)).isEqualTo(TIME + "  c4  out  ! protocol error at byte 0: bad greeting"
                + " (decoding stopped, still forwarding)");
    }

    @Test
    void messageLinesShowTheDelimiter() {
        MessageEvent m = new MessageEvent(T, "tcp://127.0.0.1:4444", "c1", 1, Direction.IN, Frame.of("client_id_abc"),
                List.of(Frame.EMPTY, Frame.of("3")), false);
        assertThat(console(m)).isEqualTo(TIME + "  c1  in   client_id_abc     | \"3\"");
    }

    @Test
    void jsonCarriesEveryField() {
        String head = "{\"v\":1,\"type\":\"%s\",\"ts\":\"2026-11-26T10:15:02.481000000Z\",\"source\":\"tcp://127.0.0.1:4444\",";
        assertThat(JsonSink.toJson(connection(ConnectionEvent.Kind.CLOSED)).toString()).isEqualTo(
                head.formatted("connection") + "\"conn\":\"c1\",\"event\":\"close\","
                        + "\"client\":\"127.0.0.1:53122\",\"server\":\"127.0.0.1:5555\",\"client_socket_type\":\"REQ\","
                        + "\"server_socket_type\":\"REP\",\"version\":\"3.1\",\"mechanism\":\"NULL\",\"messages_in\":5,"
                        + "\"messages_out\":5,\"bytes_in\":182,\"bytes_out\":170}");
        HandshakeEvent h = new HandshakeEvent(T, "tcp://127.0.0.1:4444", "c1", Direction.OUT, "3.0", "PLAIN", true, "ROUTER",
                null, Map.of());
        assertThat(JsonSink.toJson(h).toString()).isEqualTo(head.formatted("handshake") + "\"conn\":\"c1\",\"dir\":\"out\","
                + "\"version\":\"3.0\",\"mechanism\":\"PLAIN\",\"as_server\":true,\"socket_type\":\"ROUTER\"}");
        CommandEvent hello = new CommandEvent(T, "tcp://127.0.0.1:4444", "c5", Direction.IN, "HELLO", null,
                "username \"admin\"  password ****");
        assertThat(JsonSink.toJson(hello).toString()).isEqualTo(head.formatted("command") + "\"conn\":\"c5\",\"dir\":\"in\","
                + "\"name\":\"HELLO\",\"detail\":\"username \\\"admin\\\"  password ****\"}");
        ProtocolErrorEvent err = new ProtocolErrorEvent(T, "tcp://127.0.0.1:4444", "c4", Direction.IN, 7, "bad frame");
        assertThat(JsonSink.toJson(err).toString()).isEqualTo(head.formatted("protocol_error") + "\"conn\":\"c4\","
                + "\"dir\":\"in\",\"offset\":7,\"message\":\"bad frame\"}");
    }
}
