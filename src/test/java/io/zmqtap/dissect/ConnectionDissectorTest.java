package io.zmqtap.dissect;

import io.zmqtap.testing.ZmtpBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One connection's ZMTP bytes, written by hand and fed without sockets, as events. */
class ConnectionDissectorTest {
    private static final Instant T = Instant.parse("2026-11-26T10:15:02.481Z");
    private static final String SOURCE = "tcp://127.0.0.1:4444";

    private final List<CaptureEvent> events = new ArrayList<>();
    private final List<String> counted = new ArrayList<>();
    private final Dissector dissector = new Dissector(events::add, 1 << 20, new Dissector.Counters() {
        @Override
        public void message(Direction direction) {
            counted.add("message " + direction.label());
        }

        @Override
        public void protocolError(Direction direction) {
            counted.add("protocol error " + direction.label());
        }
    });
    private final ConnectionDissector c1 = dissector.connection(SOURCE, "c1", "127.0.0.1:1000", "127.0.0.1:5555");

    // Byte counts below: a greeting is 64 B; READY with Socket-Type DEALER or ROUTER 30 B, REP 27 B; a frame 2 B + its data.

    /** What a REQ client and a REP server send, in causal order: handshakes, then two requests and their replies. */
    private static final List<Piece> REQ_REP = List.of(
            new Piece(true, new ZmtpBytes().greeting(1).ready("REQ", "abc").bytes()),
            new Piece(false, new ZmtpBytes().greeting(1).ready("REP", null).bytes()),
            new Piece(true, new ZmtpBytes().message("", "3").bytes()),
            new Piece(false, new ZmtpBytes().message("", "6").bytes()),
            new Piece(true, new ZmtpBytes().message("", "4").bytes()),
            new Piece(false, new ZmtpBytes().message("", "8").bytes()));

    /** Bytes one peer sent: the client's when {@code fromClient}, else the server's. */
    private record Piece(boolean fromClient, byte[] bytes) {}

    private static void feed(ConnectionDissector c, boolean fromClient, byte[] bytes, int from, int to) {
        ByteBuffer chunk = ByteBuffer.wrap(Arrays.copyOfRange(bytes, from, to));
        if (fromClient) {
            c.client(chunk, T);
        } else {
            c.server(chunk, T);
        }
    }

    /** Events of a whole REQ/REP exchange, each piece cut before byte {@code cut} of piece {@code split} or fed a byte at a time. */
    private static List<CaptureEvent> reqRep(int split, int cut, boolean byteByByte) {
        List<CaptureEvent> seen = new ArrayList<>();
        ConnectionDissector c = new Dissector(seen::add).connection(SOURCE, "c1", "127.0.0.1:1000", "127.0.0.1:5555");
        for (int i = 0; i < REQ_REP.size(); i++) {
            Piece p = REQ_REP.get(i);
            if (byteByByte) {
                for (int b = 0; b < p.bytes().length; b++) {
                    feed(c, p.fromClient(), p.bytes(), b, b + 1);
                }
            } else if (i == split) {
                feed(c, p.fromClient(), p.bytes(), 0, cut);
                feed(c, p.fromClient(), p.bytes(), cut, p.bytes().length);
            } else {
                feed(c, p.fromClient(), p.bytes(), 0, p.bytes().length);
            }
        }
        c.clientEnded(T);
        c.serverEnded(T);
        c.close(T);
        return seen;
    }

    /** One line per event, without the time: what a test reads. */
    private static List<String> lines(List<CaptureEvent> events) {
        return events.stream().map(ConnectionDissectorTest::line).toList();
    }

    private static String line(CaptureEvent e) {
        String head = e.source() + " " + e.conn() + " ";
        if (e instanceof HandshakeEvent h) {
            return head + h.direction().label() + " ready " + h.socketType() + " " + h.version() + " identity " + h.identity();
        } else if (e instanceof ConnectionEvent c) {
            return head + c.kind() + " " + c.clientSocketType() + " -> " + c.serverSocketType() + " " + c.version()
                    + " in " + c.messagesIn() + " msgs " + c.bytesIn() + " B out " + c.messagesOut() + " msgs " + c.bytesOut() + " B";
        } else if (e instanceof MessageEvent m) {
            return head + m.direction().label() + " #" + m.seq() + " " + m.identity() + " " + m.frames();
        } else if (e instanceof CommandEvent c) {
            return head + c.direction().label() + " " + c.name() + " " + c.topic() + " " + c.detail();
        } else if (e instanceof ProtocolErrorEvent p) {
            return head + p.direction().label() + " error at " + p.offset() + ": " + p.message();
        } else if (e instanceof NoticeEvent n) {
            return head + "notice " + n.text();
        }
        return head + e;
    }

    @Test
    void aReqRepExchangeReadsAsHandshakesAnOpenNumberedMessagesAndAClose() {
        List<CaptureEvent> whole = reqRep(-1, 0, false);

        int clientBytes = REQ_REP.stream().filter(Piece::fromClient).mapToInt(p -> p.bytes().length).sum();
        int serverBytes = REQ_REP.stream().filter(p -> !p.fromClient()).mapToInt(p -> p.bytes().length).sum();
        String c1 = SOURCE + " c1 ";
        assertThat(lines(whole)).containsExactly(
                c1 + "in ready REQ 3.1 identity \"abc\"",
                c1 + "out ready REP 3.1 identity null",
                c1 + "OPENED REQ -> REP 3.1 in 0 msgs 107 B out 0 msgs 91 B",
                c1 + "in #1 \"abc\" [\"\", \"3\"]",
                c1 + "out #2 \"abc\" [\"\", \"6\"]",
                c1 + "in #3 \"abc\" [\"\", \"4\"]",
                c1 + "out #4 \"abc\" [\"\", \"8\"]",
                c1 + "CLOSED REQ -> REP 3.1 in 2 msgs " + clientBytes + " B out 2 msgs " + serverBytes + " B");
        assertThat(whole).allSatisfy(e -> assertThat(e.time()).isEqualTo(T));
    }

    @Test
    void anExchangeSplitAtEveryByteReadsTheSameAsOneFedWhole() {
        List<CaptureEvent> whole = reqRep(-1, 0, false);

        for (int piece = 0; piece < REQ_REP.size(); piece++) {
            for (int cut = 0; cut <= REQ_REP.get(piece).bytes().length; cut++) {
                assertThat(reqRep(piece, cut, false)).as("piece %d cut before byte %d", piece, cut).isEqualTo(whole);
            }
        }
        assertThat(reqRep(-1, 0, true)).as("a byte at a time").isEqualTo(whole);
    }

    @Test
    void aConfinedDissectorDecodesTheSameWithoutTakingTheConnectionsLockPerChunk() {
        for (boolean confined : new boolean[] {false, true}) {
            List<CaptureEvent> seen = new ArrayList<>();
            List<Boolean> locked = new ArrayList<>();
            ConnectionDissector[] c = new ConnectionDissector[1];
            java.util.function.Consumer<CaptureEvent> events = e -> {
                seen.add(e);
                if (e instanceof MessageEvent) {
                    locked.add(Thread.holdsLock(c[0]));
                }
            };
            Dissector d = confined ? Dissector.confined(events, 1 << 20, Dissector.Counters.NONE) : new Dissector(events);
            c[0] = d.connection(SOURCE, "c1", "127.0.0.1:1000", "127.0.0.1:5555");
            for (Piece p : REQ_REP) {
                feed(c[0], p.fromClient(), p.bytes(), 0, p.bytes().length);
            }
            c[0].clientEnded(T);
            c[0].serverEnded(T);
            c[0].close(T);

            assertThat(seen).as("confined %s", confined).isEqualTo(reqRep(-1, 0, false));
            assertThat(locked).as("the lock held per message, confined %s", confined).hasSize(4).containsOnly(!confined);
        }
    }

    @Test
    void aDealerSendingHop1EmptyXKeepsAllThreeFrames() {
        c1.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("DEALER", null).message("hop1", "", "x").bytes()), T);
        c1.server(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("ROUTER", null).bytes()), T);

        MessageEvent m = (MessageEvent) events.stream().filter(e -> e instanceof MessageEvent).findFirst().orElseThrow();
        assertThat(m.frames()).containsExactly(Frame.of("hop1"), Frame.EMPTY, Frame.of("x"));
        assertThat(m.envelope()).containsExactly(Frame.of("hop1"));
        assertThat(m.body()).containsExactly(Frame.of("x"));
        assertThat(m.routed()).isFalse();
        assertThat(m.identity()).isNull();
    }

    @Test
    void everyMessageCarriesTheClientsIdentityFromItsReadyNotTheServers() {
        c1.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("DEALER", "client_id_abc").bytes()), T);
        c1.server(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("ROUTER", "srv").bytes()), T);
        c1.client(ByteBuffer.wrap(new ZmtpBytes().message("", "ping").bytes()), T);
        c1.server(ByteBuffer.wrap(new ZmtpBytes().message("", "pong").bytes()), T);

        assertThat(events).filteredOn(e -> e instanceof MessageEvent).extracting(e -> ((MessageEvent) e).identity())
                .containsExactly(Frame.of("client_id_abc"), Frame.of("client_id_abc"));
        HandshakeEvent server = (HandshakeEvent) events.get(1);
        assertThat(server.identity()).isEqualTo(Frame.of("srv"));
    }

    @Test
    void aReplyDecodedBeforeItsRequestIsStillReleasedAndNumberedAfterIt() {
        c1.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("REQ", "abc").bytes()), T);
        c1.server(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("REP", null).bytes()), T);

        ConnectionDissector.Stamp request = c1.stamp(T);   // the request arrives and is forwarded first...
        ConnectionDissector.Stamp reply = c1.stamp(T);     // ...the reply comes back...
        c1.server(reply, ByteBuffer.wrap(new ZmtpBytes().message("", "6").bytes())); // ...and is decoded first
        assertThat(events).noneMatch(e -> e instanceof MessageEvent);
        c1.client(request, ByteBuffer.wrap(new ZmtpBytes().message("", "3").bytes()));

        assertThat(lines(events).subList(3, 5)).containsExactly(
                SOURCE + " c1 in #1 \"abc\" [\"\", \"3\"]",
                SOURCE + " c1 out #2 \"abc\" [\"\", \"6\"]");
    }

    @Test
    void messagesAreNumberedOverEveryConnectionOfADissectorInCausalOrder() {
        ConnectionDissector c2 = dissector.connection(SOURCE, "c2", "127.0.0.1:1001", "127.0.0.1:5555");
        for (ConnectionDissector c : List.of(c1, c2)) {
            c.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("DEALER", null).bytes()), T);
            c.server(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("ROUTER", null).bytes()), T);
        }
        c1.client(ByteBuffer.wrap(new ZmtpBytes().message("a").bytes()), T);
        c2.client(ByteBuffer.wrap(new ZmtpBytes().message("b").bytes()), T);
        c1.server(ByteBuffer.wrap(new ZmtpBytes().message("A").bytes()), T);
        c2.server(ByteBuffer.wrap(new ZmtpBytes().message("B").bytes()), T);

        assertThat(events).filteredOn(e -> e instanceof MessageEvent).extracting(e -> {
            MessageEvent m = (MessageEvent) e;
            return m.conn() + " #" + m.seq() + " " + m.frames();
        }).containsExactly("c1 #1 [\"a\"]", "c2 #2 [\"b\"]", "c1 #3 [\"A\"]", "c2 #4 [\"B\"]");
        assertThat(counted).containsExactly("message in", "message in", "message out", "message out");
    }

    @Test
    void aProtocolErrorOpensTheConnectionAndStopsDecodingOnlyItsDirection() {
        c1.client(ByteBuffer.wrap(ZmtpBytes.ascii("GET / HTTP/1.1\r\n")), T);
        c1.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).bytes()), T); // ignored: decoding of "in" stopped
        c1.server(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("REP", null).message("", "still decoded").bytes()), T);
        c1.close(T);

        assertThat(lines(events)).containsExactly(
                SOURCE + " c1 OPENED null -> null null in 0 msgs 16 B out 0 msgs 0 B",
                SOURCE + " c1 in error at 0: bad greeting signature at offset 0: expected 0xff, got 0x47",
                SOURCE + " c1 out ready REP 3.1 identity null",
                SOURCE + " c1 out #1 null [\"\", \"still decoded\"]",
                SOURCE + " c1 CLOSED null -> REP 3.1 in 0 msgs 80 B out 1 msgs " + (64 + 27 + 17) + " B");
        assertThat(counted).containsExactly("protocol error in", "message out");
        assertThat(c1.handshakeOver()).as("the client's handshake can no longer be told").isTrue();
    }

    @Test
    void zmtp30SubscriptionsAreDataFramesAndZmtp31OnesAreCommands() {
        ConnectionDissector v30 = dissector.connection(SOURCE, "c2", "127.0.0.1:1001", "127.0.0.1:5556");
        v30.client(ByteBuffer.wrap(new ZmtpBytes().greeting(0).ready("SUB", null)
                .message("\u0001weather").message("\u0000weather").bytes()), T);
        c1.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("SUB", null)
                .subscribeCommand("weather").cancelCommand("weather").bytes()), T);

        assertThat(events).filteredOn(e -> e instanceof CommandEvent).extracting(ConnectionDissectorTest::line)
                .containsExactly(
                        SOURCE + " c2 in SUBSCRIBE \"weather\" (ZMTP 3.0 data frame)",
                        SOURCE + " c2 in CANCEL \"weather\" (ZMTP 3.0 data frame)",
                        SOURCE + " c1 in SUBSCRIBE \"weather\" ",
                        SOURCE + " c1 in CANCEL \"weather\" ");
        assertThat(events).noneMatch(e -> e instanceof MessageEvent);
        assertThat(counted).isEmpty();
    }

    @Test
    void aGapInTheCaptureIsANoticeAndNothingAfterItIsDecodedUntilABoundaryIsTrusted() {
        c1.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("DEALER", null).bytes()), T);
        c1.server(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("ROUTER", null).bytes()), T);
        c1.clientGap(1460, T);
        c1.client(ByteBuffer.wrap(new ZmtpBytes().message("lost in the middle").bytes()), T);
        c1.server(ByteBuffer.wrap(new ZmtpBytes().message("still decoded").bytes()), T);
        c1.close(T);

        assertThat(lines(events).subList(3, 7)).containsExactly(
                SOURCE + " c1 notice 1460 bytes from the client not captured at byte 94: decoding resumes where a frame"
                        + " boundary can be trusted again",
                SOURCE + " c1 out #1 null [\"still decoded\"]",
                SOURCE + " c1 notice client \u2192 server: no frame boundary could be trusted after the gap, so its 20"
                        + " bytes from byte 1554 on were counted, not decoded",
                SOURCE + " c1 CLOSED DEALER -> ROUTER 3.1 in 0 msgs " + (94 + 1460 + 20) + " B out 1 msgs " + (94 + 15) + " B");
        assertThat(counted).containsExactly("message out");
    }

    @Test
    void afterAGapDecodingResumesAtTheFirstWholeMessageAfterATrustedBoundaryAndNothingStraddlesTheGap() {
        c1.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("DEALER", null).bytes()), T);
        c1.client(ByteBuffer.wrap(new byte[] {1, 9, 'h', 'a', 'l'}), T); // a message begun before the gap
        c1.clientGap(100, T);
        c1.client(ByteBuffer.wrap(new byte[] {'f', 0, 3, 'e', 'n', 'd'}), T); // the rest of some frame, then one
        for (String s : List.of("one", "two", "three", "four")) {
            c1.client(ByteBuffer.wrap(new ZmtpBytes().message(s).bytes()), T);
        }
        c1.close(T);

        int gapEnd = 94 + 5 + 100;
        assertThat(lines(events).subList(1, events.size() - 1)).containsExactly(
                SOURCE + " c1 notice 100 bytes from the client not captured at byte 99: decoding resumes where a frame"
                        + " boundary can be trusted again",
                // "one" starts a chain that lands on "two" (decoding starts there) and on "three" (trusted); "two"
                // may be the end of a message, so the first whole one is "three"
                SOURCE + " c1 notice client \u2192 server decoded from the first whole message after byte " + (gapEnd + 6 + 5)
                        + ", the first frame boundary trusted after the gap; the " + (6 + 5) + " bytes before it were skipped",
                SOURCE + " c1 OPENED DEALER -> null 3.1 in 1 msgs " + (gapEnd + 6 + 5 + 5 + 7) + " B out 0 msgs 0 B",
                SOURCE + " c1 in #1 null [\"three\"]",
                SOURCE + " c1 in #2 null [\"four\"]");
    }

    @Test
    void aConnectionJoinedMidStreamIsDecodedFromATrustedBoundaryInEachDirectionAndSaysWhere() {
        ConnectionDissector c2 = dissector.connection(SOURCE, "c2", "127.0.0.1:1001", "127.0.0.1:5555");
        c2.joinedMidStream(T);
        c2.client(ByteBuffer.wrap(new byte[] {'s', 't'}), T); // the end of a frame
        for (String s : List.of("a", "b", "c", "d")) {
            c2.client(ByteBuffer.wrap(new ZmtpBytes().message("", s).bytes()), T);
            c2.server(ByteBuffer.wrap(new ZmtpBytes().message("", s + s).bytes()), T);
        }
        c2.clientEnded(T);
        c2.close(T);

        assertThat(lines(events)).containsExactly(
                SOURCE + " c2 notice client \u2192 server decoded from the first whole message after byte 7, the first"
                        + " frame boundary trusted after joining mid-stream; the 7 bytes before it were skipped",
                SOURCE + " c2 OPENED null -> null null in 1 msgs 17 B out 0 msgs 12 B", // the totals when it went out
                SOURCE + " c2 in #1 null [\"\", \"c\"]",
                SOURCE + " c2 notice server \u2192 client decoded from the first whole message after byte 6, the first"
                        + " frame boundary trusted after joining mid-stream; the 6 bytes before it were skipped",
                SOURCE + " c2 out #2 null [\"\", \"cc\"]",
                SOURCE + " c2 in #3 null [\"\", \"d\"]",
                SOURCE + " c2 out #4 null [\"\", \"dd\"]",
                SOURCE + " c2 CLOSED null -> null null in 2 msgs 22 B out 2 msgs 24 B");
        assertThat(events).noneMatch(e -> e instanceof HandshakeEvent || e instanceof ProtocolErrorEvent);
        assertThat(c2.handshakeOver()).as("no handshake will come").isTrue();
    }

    @Test
    void aConnectionJoinedMidStreamThatNeverShowsATrustedBoundaryIsCountedAndSaysSoOnce() {
        ConnectionDissector c2 = dissector.connection(SOURCE, "c2", "127.0.0.1:1001", "127.0.0.1:5555");
        c2.joinedMidStream(T);
        c2.client(ByteBuffer.wrap(new ZmtpBytes().message("", "a").bytes()), T);
        c2.close(T);

        assertThat(lines(events)).containsExactly(
                SOURCE + " c2 notice client \u2192 server: no frame boundary could be trusted after joining mid-stream,"
                        + " so its 5 bytes from byte 0 on were counted, not decoded",
                SOURCE + " c2 OPENED null -> null null in 0 msgs 5 B out 0 msgs 0 B",
                SOURCE + " c2 CLOSED null -> null null in 0 msgs 5 B out 0 msgs 0 B");
    }

    @Test
    void handshakeIsOverOnceBothPeersSentReady() {
        c1.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("REQ", null).bytes()), T);
        assertThat(c1.handshakeOver()).isFalse();
        c1.server(ByteBuffer.wrap(new ZmtpBytes().greeting(1).bytes()), T);
        assertThat(c1.handshakeOver()).isFalse();
        c1.server(ByteBuffer.wrap(new ZmtpBytes().ready("REP", null).bytes()), T);
        assertThat(c1.handshakeOver()).isTrue();
    }

    @Test
    void timesNeverRunBackwardsInStampOrder() {
        Instant later = T.plusMillis(5);
        assertThat(c1.stamp(later).time()).isEqualTo(later);
        ConnectionDissector.Stamp late = c1.stamp(T); // taken after, with an earlier clock reading
        assertThat(late.time()).isEqualTo(later);
        assertThat(late.ticket()).isEqualTo(1);
    }

    @Test
    void closeReleasesWhatWaitsInOrderSkippingAChunkNeverDecodedAndNothingAfter() {
        c1.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("DEALER", null).bytes()), T);
        c1.server(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("ROUTER", null).bytes()), T);
        c1.stamp(T); // a chunk torn down before it was decoded
        c1.server(c1.stamp(T), ByteBuffer.wrap(new ZmtpBytes().message("waits").bytes()));
        assertThat(events).noneMatch(e -> e instanceof MessageEvent);

        c1.close(T);
        c1.client(ByteBuffer.wrap(new ZmtpBytes().message("after the close").bytes()), T);
        c1.close(T);

        assertThat(lines(events).subList(3, events.size())).containsExactly(
                SOURCE + " c1 out #1 null [\"waits\"]",
                SOURCE + " c1 CLOSED DEALER -> ROUTER 3.1 in 0 msgs 94 B out 1 msgs " + (94 + 7) + " B");
    }

    @Test
    void aConnectionClosedBeforeAnyByteStillOpensBeforeItCloses() {
        c1.close(T);

        assertThat(events).extracting(e -> ((ConnectionEvent) e).kind())
                .containsExactly(ConnectionEvent.Kind.OPENED, ConnectionEvent.Kind.CLOSED);
    }

    @Test
    void aConnectionDroppedBeforeItOpenedSaysNothingButOneThatOpenedCloses() {
        c1.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).bytes()), T);
        c1.drop(T);
        assertThat(events).isEmpty();

        ConnectionDissector c2 = dissector.connection(SOURCE, "c2", "127.0.0.1:1001", "127.0.0.1:5555");
        c2.client(ByteBuffer.wrap(new ZmtpBytes().greeting(1).ready("REQ", null).message("", "x").bytes()), T);
        c2.drop(T);
        c2.close(T);
        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("HandshakeEvent", "ConnectionEvent", "MessageEvent", "ConnectionEvent");
    }

    @Test
    void commandsAreDescribedWithoutSecrets() {
        CommandEvent hello = Commands.event(T, SOURCE, "c1", Direction.IN, new io.zmqtap.zmtp.ZmtpCommand.Hello("admin", "secret"));
        assertThat(hello.detail()).isEqualTo("username \"admin\"  password ****").doesNotContain("secret");
        CommandEvent curve = Commands.event(T, SOURCE, "c1", Direction.OUT, new io.zmqtap.zmtp.ZmtpCommand.CurveCommand("MESSAGE", 58));
        assertThat(curve.name()).isEqualTo("MESSAGE");
        assertThat(curve.detail()).isEqualTo("CURVE, encrypted, 58 B");
        CommandEvent ping = Commands.event(T, SOURCE, "c1", Direction.OUT, new io.zmqtap.zmtp.ZmtpCommand.Ping(30, new byte[0]));
        assertThat(ping.detail()).isEqualTo("ttl 3.0 s  context \"\"");
        CommandEvent cancel = Commands.event(T, SOURCE, "c1", Direction.IN, new io.zmqtap.zmtp.ZmtpCommand.Cancel("w".getBytes(), false));
        assertThat(cancel.topic()).isEqualTo(Frame.of("w"));
        assertThat(cancel.detail()).isEmpty();
    }
}
