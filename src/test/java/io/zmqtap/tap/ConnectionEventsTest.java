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
import io.zmqtap.zmtp.ZmtpCommand;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events of one connection built from hand-made ZMTP bytes, without sockets. */
class ConnectionEventsTest {
    private final List<CaptureEvent> events = new ArrayList<>();
    private final ConnectionEvents connection =
            new ConnectionEvents("tcp://127.0.0.1:4444", "c1", "127.0.0.1:1000", "127.0.0.1:5555", events::add, new TapCounters(), 1 << 20);

    /** 64-byte ZMTP 3.1 NULL greeting. */
    private static void greeting(ByteArrayOutputStream b, boolean asServer) {
        byte[] g = new byte[64];
        g[0] = (byte) 0xff;
        g[9] = 0x7f;
        g[10] = 3;
        g[11] = 1;
        System.arraycopy("NULL".getBytes(StandardCharsets.US_ASCII), 0, g, 12, 4);
        g[32] = (byte) (asServer ? 1 : 0);
        b.writeBytes(g);
    }

    /** READY command with Socket-Type and, when not null, Identity. */
    private static void ready(ByteArrayOutputStream b, String type, String identity) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(5);
        body.writeBytes("READY".getBytes(StandardCharsets.US_ASCII));
        property(body, "Socket-Type", type);
        if (identity != null) {
            property(body, "Identity", identity);
        }
        b.write(0x04);
        b.write(body.size());
        b.writeBytes(body.toByteArray());
    }

    private static void property(ByteArrayOutputStream b, String name, String value) {
        b.write(name.length());
        b.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {0, 0, 0, (byte) value.length()});
        b.writeBytes(value.getBytes(StandardCharsets.US_ASCII));
    }

    /** A short data frame; {@code more} when another frame of the message follows. */
    private static void frame(ByteArrayOutputStream b, String data, boolean more) {
        b.write(more ? 1 : 0);
        b.write(data.length());
        b.writeBytes(data.getBytes(StandardCharsets.US_ASCII));
    }

    private static void feed(DirectionDecoder side, ByteArrayOutputStream b) {
        side.bytes(ByteBuffer.wrap(b.toByteArray()));
    }

    @Test
    void aReplyDecodedBeforeItsRequestIsStillPublishedAfterIt() {
        ByteArrayOutputStream clientHello = new ByteArrayOutputStream();
        greeting(clientHello, false);
        ready(clientHello, "REQ", "abc");
        ByteArrayOutputStream serverHello = new ByteArrayOutputStream();
        greeting(serverHello, false);
        ready(serverHello, "REP", null);
        connection.in().arrived();
        feed(connection.in(), clientHello);
        connection.out().arrived();
        feed(connection.out(), serverHello);

        ByteArrayOutputStream request = new ByteArrayOutputStream();
        frame(request, "", true);
        frame(request, "3", false);
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        frame(reply, "", true);
        frame(reply, "6", false);
        connection.in().arrived();          // the request arrives and is forwarded first...
        connection.out().arrived();         // ...the reply comes back...
        feed(connection.out(), reply);      // ...and its thread decodes before the request's does
        feed(connection.in(), request);

        assertThat(events).extracting(e -> e.getClass().getSimpleName() + " " + (e instanceof MessageEvent m
                        ? m.direction() + " " + m.body() + " " + m.identity() : ""))
                .containsExactly("HandshakeEvent ", "HandshakeEvent ", "ConnectionEvent ",
                        "MessageEvent IN [\"3\"] \"abc\"", "MessageEvent OUT [\"6\"] \"abc\"");
        ConnectionEvent opened = (ConnectionEvent) events.get(2);
        assertThat(List.of(opened.clientSocketType(), opened.serverSocketType(), opened.version(), opened.mechanism()))
                .containsExactly("REQ", "REP", "3.1", "NULL");
        HandshakeEvent client = (HandshakeEvent) events.get(0);
        assertThat(client.direction()).isEqualTo(Direction.IN);
        assertThat(client.identity()).isEqualTo(Frame.of("abc"));
        assertThat(client.properties()).isEmpty();
    }

    @Test
    void aProtocolErrorOpensTheConnectionAndStopsOnlyItsDirection() {
        connection.in().arrived();
        connection.in().bytes(ByteBuffer.wrap("GET /".getBytes(StandardCharsets.US_ASCII)));
        connection.in().arrived();
        connection.in().bytes(ByteBuffer.wrap(new byte[] {(byte) 0xff})); // ignored: decoding of IN stopped
        ByteArrayOutputStream server = new ByteArrayOutputStream();
        greeting(server, true);
        connection.out().arrived();
        feed(connection.out(), server);
        connection.closed(6, 64);

        assertThat(events).hasSize(3);
        ConnectionEvent opened = (ConnectionEvent) events.get(0);
        assertThat(opened.kind()).isEqualTo(ConnectionEvent.Kind.OPENED);
        assertThat(opened.clientSocketType()).isNull();
        ProtocolErrorEvent error = (ProtocolErrorEvent) events.get(1);
        assertThat(error.direction()).isEqualTo(Direction.IN);
        assertThat(error.offset()).isZero();
        ConnectionEvent closed = (ConnectionEvent) events.get(2);
        assertThat(closed.kind()).isEqualTo(ConnectionEvent.Kind.CLOSED);
        assertThat(closed.bytesIn()).isEqualTo(6);
        assertThat(closed.bytesOut()).isEqualTo(64);
        assertThat(closed.version()).isEqualTo("3.1");
    }

    @Test
    void aConnectionClosedBeforeAnyByteStillOpensBeforeItCloses() {
        connection.closed(0, 0);

        assertThat(events).extracting(e -> ((ConnectionEvent) e).kind())
                .containsExactly(ConnectionEvent.Kind.OPENED, ConnectionEvent.Kind.CLOSED);
    }

    @Test
    void commandsAreDescribedWithoutSecrets() {
        CommandEvent hello = Commands.event(java.time.Instant.EPOCH, "tcp://127.0.0.1:4444", "c1", Direction.IN, new ZmtpCommand.Hello("admin", "secret"));
        assertThat(hello.detail()).isEqualTo("username \"admin\"  password ****").doesNotContain("secret");
        CommandEvent curve = Commands.event(java.time.Instant.EPOCH, "tcp://127.0.0.1:4444", "c1", Direction.OUT, new ZmtpCommand.CurveCommand("MESSAGE", 58));
        assertThat(curve.name()).isEqualTo("MESSAGE");
        assertThat(curve.detail()).isEqualTo("CURVE, encrypted, 58 B");
        CommandEvent ping = Commands.event(java.time.Instant.EPOCH, "tcp://127.0.0.1:4444", "c1", Direction.OUT, new ZmtpCommand.Ping(30, new byte[0]));
        assertThat(ping.detail()).isEqualTo("ttl 3.0 s  context \"\"");
        CommandEvent cancel = Commands.event(java.time.Instant.EPOCH, "tcp://127.0.0.1:4444", "c1", Direction.IN, new ZmtpCommand.Cancel("w".getBytes(), false));
        assertThat(cancel.topic()).isEqualTo(Frame.of("w"));
        assertThat(cancel.detail()).isEmpty();
    }
}
