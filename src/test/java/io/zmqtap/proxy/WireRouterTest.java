package io.zmqtap.proxy;

import static io.zmqtap.proxy.RawZmtp.ascii;
import static io.zmqtap.proxy.RawZmtp.concat;
import static io.zmqtap.proxy.RawZmtp.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zmqtap.endpoint.Notices;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.zmtp.FrameScanner.WireProtocolException;
import io.zmqtap.zmtp.ZmtpCommand;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The wire engine's routing, driven with bytes alone: peers without sockets, messages as ZMTP bytes
 * in a buffer, what the router writes read back from each peer's output, and what a listener saw.
 */
class WireRouterTest {
    private static final String SOURCE = "tcp://127.0.0.1:4444";
    private static final byte[] EMPTY = new byte[0];

    private final WireMemory memory = new WireMemory(64L << 20);
    private final List<String> notices = new ArrayList<>();
    private final Notices notifier = new Notices(notices::add);
    private final WireSide frontend = WireSide.frontend();
    private final WireSide backend = WireSide.backend();
    private final List<MessageEvent> seen = new ArrayList<>();
    private final List<String> views = new ArrayList<>();
    private final WirePeers peers = new WirePeers(memory, notifier);
    private final FrameScanner scanner = new FrameScanner(1L << 20);
    private WireRouter router = router(500);

    private WireRouter router(int maxInFlight) {
        ForwardListener listener = m -> {
            seen.add(m.toEvent());
            views.add(m.toString());
        };
        WireRouter r = new WireRouter(frontend, backend, listener, SOURCE, notifier, maxInFlight);
        r.attach(peers);
        return r;
    }

    /** A peer of {@code side} through its handshake, as {@code socketType} with an optional identity. */
    private WirePeer join(WireSide side, String remote, String socketType, String identity) throws WireProtocolException {
        WirePeer p = new WirePeer(side, remote, memory);
        peers.add(p);
        Map<String, byte[]> properties = new LinkedHashMap<>();
        properties.put("Socket-Type", ascii(socketType));
        if (identity != null) {
            properties.put("Identity", ascii(identity));
        }
        p.socketType = socketType;
        router.joined(p, new ZmtpCommand.Ready(properties));
        p.state = WirePeer.State.READY;
        return p;
    }

    /** Hands {@code from}'s message (ZMTP bytes) to the router; true when it was taken. */
    private boolean send(WirePeer from, byte[] zmtp) throws WireProtocolException {
        ByteBuffer in = ByteBuffer.wrap(zmtp);
        assertThat(scanner.scan(in, 0, in.limit())).isTrue();
        return router.message(from, in, scanner);
    }

    private static byte[] message(byte[]... frames) {
        byte[][] encoded = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            encoded[i] = frame(i < frames.length - 1, frames[i]);
        }
        return concat(encoded);
    }

    /** The data frames written to {@code p} so far (its unsent output), as text. */
    private static List<String> written(WirePeer p) {
        ByteBuffer out = p.out.duplicate().flip();
        List<String> frames = new ArrayList<>();
        while (out.hasRemaining()) {
            int at = out.position();
            int body = FrameScanner.bodyAt(out, at);
            byte[] b = new byte[FrameScanner.sizeAt(out, at)];
            out.get(body, b);
            frames.add(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
            out.position(body + b.length);
        }
        return frames;
    }

    private static List<String> texts(MessageEvent m) {
        return m.frames().stream().map(f -> new String(f.data(), java.nio.charset.StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void aRequestGoesToTheServerBehindItsClientsRoutingIdAndTheReplyGoesBackWithoutIt() throws Exception {
        WirePeer client = join(frontend, "127.0.0.1:50001", "REQ", "client_a");
        WirePeer server = join(backend, "127.0.0.1:5555", "REP", null);

        assertThat(send(client, message(EMPTY, ascii("3")))).isTrue();
        assertThat(written(server)).containsExactly("client_a", "", "3");
        assertThat(send(server, message(ascii("client_a"), EMPTY, ascii("6")))).isTrue();
        assertThat(written(client)).containsExactly("", "6");

        assertThat(seen).hasSize(2);
        MessageEvent request = seen.get(0);
        assertThat(request.direction()).isEqualTo(Direction.IN);
        assertThat(request.seq()).isEqualTo(1);
        assertThat(request.source()).isEqualTo(SOURCE);
        assertThat(request.conn()).isNull();
        assertThat(request.routed()).isTrue();
        assertThat(request.identity().text()).isEqualTo("client_a");
        assertThat(texts(request)).containsExactly("client_a", "", "3");
        MessageEvent reply = seen.get(1);
        assertThat(reply.direction()).isEqualTo(Direction.OUT);
        assertThat(reply.seq()).isEqualTo(2);
        assertThat(reply.identity().text()).isEqualTo("client_a");
        assertThat(texts(reply)).containsExactly("client_a", "", "6");
        assertThat(views).containsExactly("in #1 3 frames, 9 B", "out #2 3 frames, 9 B");

        assertThat(router.frontendCounters()).isEqualTo(new SocketStatistics(1, 9, 1, 9));
        assertThat(router.backendCounters()).isEqualTo(new SocketStatistics(1, 9, 1, 9));
        assertThat(router.serverStatistics()).singleElement()
                .isEqualTo(new ServerStatistics("127.0.0.1:5555", 1, 1, 1, 0, 0));
        assertThat(router.clientPeers()).singleElement().satisfies(p -> {
            assertThat(p.role()).isEqualTo("client");
            assertThat(p.identity().text()).isEqualTo("client_a");
            assertThat(p.messagesIn()).isEqualTo(1);
            assertThat(p.messagesOut()).isEqualTo(1);
        });
    }

    @Test
    void theListenersViewReadsEveryFrameWithoutCopyingAndCannotWriteToTheProxysBuffers() throws Exception {
        byte[] big = new byte[300]; // a long frame: an 8-byte size in its header
        Arrays.fill(big, (byte) 'x');
        List<String> checked = new ArrayList<>();
        router = new WireRouter(frontend, backend, m -> {
            assertThat(m.frameCount()).isEqualTo(4);
            assertThat(m.routed()).isTrue();
            assertThat(m.routingId()).isEqualTo(m.frame(0));
            assertThat(m.frameSize(0)).isEqualTo(5);
            assertThat(m.frame(0).get(0)).as("libzmq's made-up routing ids start with a zero byte").isZero();
            assertThat(m.frameSize(1)).isEqualTo(4);
            assertThat(m.frame(1)).isEqualTo(ByteBuffer.wrap(ascii("hop1")));
            assertThat(m.frame(2).remaining()).isZero();
            assertThat(m.frame(3)).isEqualTo(ByteBuffer.wrap(big));
            assertThat(m.copyFrame(3)).isEqualTo(big);
            assertThat(m.size()).isEqualTo(5 + 4 + 300);
            assertThatThrownBy(() -> m.frame(3).put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
            assertThatThrownBy(() -> m.frame(4)).isInstanceOf(IndexOutOfBoundsException.class);
            checked.add(m.direction().label());
        }, SOURCE, notifier, 500);
        router.attach(peers);
        WirePeer client = join(frontend, "127.0.0.1:50001", "DEALER", null);
        WirePeer server = join(backend, "127.0.0.1:5555", "ROUTER", null);

        assertThat(send(client, message(ascii("hop1"), EMPTY, big))).isTrue();
        assertThat(checked).containsExactly("in");
        assertThat(written(server)).hasSize(4);
    }

    @Test
    void clientsWithoutIdentityGetLibzmqsFiveByteRoutingIdsAndAnIdentityInUseIsRefused() throws Exception {
        WirePeer a = join(frontend, "127.0.0.1:50001", "REQ", null);
        WirePeer b = join(frontend, "127.0.0.1:50002", "REQ", null);
        assertThat(a.routingId).hasSize(5).startsWith(0);
        assertThat(b.routingId).hasSize(5).startsWith(0).isNotEqualTo(a.routingId);

        join(frontend, "127.0.0.1:50003", "REQ", "client_a");
        assertThatThrownBy(() -> join(frontend, "127.0.0.1:50004", "REQ", "client_a"))
                .isInstanceOf(WireProtocolException.class)
                .hasMessage("routing id client_a is already connected");
    }

    @Test
    void requestsGoRoundRobinToTheServers() throws Exception {
        WirePeer client = join(frontend, "127.0.0.1:50001", "DEALER", "c");
        WirePeer s1 = join(backend, "127.0.0.1:5555", "REP", null);
        WirePeer s2 = join(backend, "127.0.0.1:5556", "REP", null);
        for (int i = 0; i < 4; i++) {
            assertThat(send(client, message(EMPTY, ascii(Integer.toString(i))))).isTrue();
        }
        assertThat(written(s1)).containsExactly("c", "", "0", "c", "", "2");
        assertThat(written(s2)).containsExactly("c", "", "1", "c", "", "3");
    }

    @Test
    void aRepServerGetsAtMostMaxInFlightRequestsAndTheNextWaitsForAReply() throws Exception {
        router = router(2);
        WirePeer client = join(frontend, "127.0.0.1:50001", "DEALER", "c");
        WirePeer server = join(backend, "127.0.0.1:5555", "REP", null);
        assertThat(send(client, message(EMPTY, ascii("1")))).isTrue();
        assertThat(send(client, message(EMPTY, ascii("2")))).isTrue();
        assertThat(send(client, message(EMPTY, ascii("3")))).as("a third while two are unanswered").isFalse();
        assertThat(router.serverStatistics().get(0).inFlight()).isEqualTo(2);

        assertThat(send(server, message(ascii("c"), EMPTY, ascii("2")))).isTrue();
        assertThat(peers.takeRoom()).as("room appeared: stalled clients are retried").isTrue();
        assertThat(send(client, message(EMPTY, ascii("3")))).isTrue();
        assertThat(seen).extracting(MessageEvent::seq).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aReplyWaitsWhileItsClientHasNoRoomAndMeanwhileNoClientIsRead() throws Exception {
        WirePeer client = join(frontend, "127.0.0.1:50001", "REQ", "c");
        WirePeer other = join(frontend, "127.0.0.1:50002", "REQ", "d");
        WirePeer server = join(backend, "127.0.0.1:5555", "DEALER", null);
        ByteBuffer full = client.reserveOut(WireRouter.ROOM);
        full.position(full.position() + WireRouter.ROOM); // a client that reads nothing

        assertThat(send(server, message(ascii("c"), EMPTY, ascii("6")))).isFalse();
        assertThat(router.holdsReading(other)).as("clients are held while a server's reply waits").isTrue();
        assertThat(router.holdsReading(server)).isFalse();
        assertThat(seen).isEmpty();

        client.out.clear(); // it read everything
        assertThat(send(server, message(ascii("c"), EMPTY, ascii("6")))).isTrue();
        assertThat(router.holdsReading(other)).isFalse();
        assertThat(seen).singleElement().extracting(MessageEvent::direction).isEqualTo(Direction.OUT);
    }

    @Test
    void aReplyToAClientThatLeftIsCountedAsUndeliverableAndNotShown() throws Exception {
        WirePeer client = join(frontend, "127.0.0.1:50001", "REQ", "c");
        WirePeer server = join(backend, "127.0.0.1:5555", "REP", null);
        assertThat(send(client, message(EMPTY, ascii("1")))).isTrue();
        router.left(client);
        assertThat(send(server, message(ascii("c"), EMPTY, ascii("2")))).isTrue();
        assertThat(router.undeliverable()).isEqualTo(1);
        assertThat(seen).hasSize(1);
        assertThat(router.backendCounters().messagesIn()).as("the reply was read").isEqualTo(1);
        assertThat(router.frontendCounters().messagesOut()).isZero();
    }

    @Test
    void aRepServerThatLeavesWithRequestsUnansweredIsANoticeAndACount() throws Exception {
        WirePeer client = join(frontend, "127.0.0.1:50001", "REQ", "c");
        WirePeer server = join(backend, "127.0.0.1:5555", "REP", null);
        assertThat(send(client, message(EMPTY, ascii("1")))).isTrue();
        router.left(server);
        assertThat(notices).containsExactly("backend: lost REP server 127.0.0.1:5555: 1 request sent to it got no reply");
        assertThat(router.unanswered()).isEqualTo(1);
        assertThat(router.serverStatistics()).singleElement()
                .isEqualTo(new ServerStatistics("127.0.0.1:5555", 1, 1, 0, 0, 1));
        assertThat(send(client, message(EMPTY, ascii("2")))).as("no server: the request waits").isFalse();

        join(backend, "127.0.0.1:5555", "REP", null);
        assertThat(notices).last().isEqualTo("backend: REP server 127.0.0.1:5555 reconnected");
        assertThat(send(client, message(EMPTY, ascii("2")))).isTrue();
    }

    @Test
    void withoutListenersNothingIsShownAndTrafficStillFlows() throws Exception {
        router = new WireRouter(frontend, backend, null, SOURCE, notifier, 500);
        router.attach(peers);
        WirePeer client = join(frontend, "127.0.0.1:50001", "REQ", "c");
        WirePeer server = join(backend, "127.0.0.1:5555", "REP", null);
        assertThat(send(client, message(EMPTY, ascii("1")))).isTrue();
        assertThat(written(server)).containsExactly("c", "", "1");
        assertThat(seen).isEmpty();
        assertThat(Frame.of(client.routingId).text()).isEqualTo("c");
    }
}
