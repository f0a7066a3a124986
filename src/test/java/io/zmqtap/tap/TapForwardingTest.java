package io.zmqtap.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tap as a plain TCP forwarder: raw sockets on both sides, no ZeroMQ. */
class TapForwardingTest {
    private final RecordingSink sink = new RecordingSink();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    private ServerSocket server() throws IOException {
        ServerSocket s = closing(new ServerSocket());
        s.bind(new InetSocketAddress("127.0.0.1", 0));
        return s;
    }

    private WireTap tapTo(ServerSocket upstream) {
        return tapTo(upstream, WireTap.DEFAULT_BUSY_POLL);
    }

    private WireTap tapTo(ServerSocket upstream, Duration busyPoll) {
        return closing(WireTap.builder()
                .route("tcp://127.0.0.1:0", "tcp://127.0.0.1:" + upstream.getLocalPort())
                .sink(sink)
                .busyPoll(busyPoll)
                .start());
    }

    private Socket connect(WireTap tap) throws IOException {
        String endpoint = tap.listenAddresses().get(0);
        int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        Socket s = closing(new Socket("127.0.0.1", port));
        s.setSoTimeout(10_000);
        return s;
    }

    private Socket accept(ServerSocket server) throws IOException {
        server.setSoTimeout(10_000);
        Socket s = closing(server.accept());
        s.setSoTimeout(10_000);
        return s;
    }

    /** A tap between a raw client and a raw server socket, both connected. */
    private record Link(ServerSocket upstream, WireTap tap, Socket client, Socket server) {}

    private Link link() throws IOException {
        return link(WireTap.DEFAULT_BUSY_POLL);
    }

    private Link link(Duration busyPoll) throws IOException {
        ServerSocket upstream = server();
        WireTap tap = tapTo(upstream, busyPoll);
        Socket client = connect(tap);
        return new Link(upstream, tap, client, accept(upstream));
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code data} in pieces of random sizes, then half-closes. */
    private Future<?> send(Socket s, byte[] data, long seed) {
        return pool.submit(() -> {
            Random r = new Random(seed);
            OutputStream out = s.getOutputStream();
            for (int at = 0; at < data.length; ) {
                int n = Math.min(data.length - at, 1 + r.nextInt(100_000));
                out.write(data, at, n);
                at += n;
            }
            s.shutdownOutput();
            return null;
        });
    }

    /** Reads until end of stream and returns the SHA-256 of everything read. */
    private Future<byte[]> digestUntilEnd(Socket s) {
        return pool.submit(() -> {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                sha.update(buf, 0, n);
            }
            return sha.digest();
        });
    }

    /** The next byte, or -1 at end of stream or when the connection was reset. */
    private static int readOrReset(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    /** With busy polling off (sleep in read at once), on (the default) and long (mostly polling). */
    @ParameterizedTest(name = "busy-poll {0} us")
    @ValueSource(longs = {0, 100, 5_000})
    void bytesArriveUnchangedInBothDirectionsAtOnce(long busyPollMicros) throws Exception {
        Link link = link(Duration.ofNanos(busyPollMicros * 1000));
        WireTap tap = link.tap();
        Socket client = link.client();
        Socket server = link.server();
        byte[] up = random(8 << 20, 1);
        byte[] down = random(6 << 20, 2);

        Future<byte[]> serverGot = digestUntilEnd(server);
        Future<byte[]> clientGot = digestUntilEnd(client);
        Future<?> a = send(client, up, 3);
        Future<?> b = send(server, down, 4);
        a.get(30, TimeUnit.SECONDS);
        b.get(30, TimeUnit.SECONDS);

        assertThat(serverGot.get(30, TimeUnit.SECONDS)).isEqualTo(sha256(up));
        assertThat(clientGot.get(30, TimeUnit.SECONDS)).isEqualTo(sha256(down));
        ConnectionEvent closed = sink.await(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED);
        assertThat(closed.bytesIn()).isEqualTo(up.length);
        assertThat(closed.bytesOut()).isEqualTo(down.length);
        assertThat(tap.statistics().bytesIn()).isEqualTo(up.length);
        assertThat(tap.statistics().bytesOut()).isEqualTo(down.length);
    }

    @Test
    void garbageIsReportedAsAProtocolErrorAndStillForwarded() throws Exception {
        Link link = link();
        WireTap tap = link.tap();
        Socket client = link.client();
        Socket server = link.server();
        byte[] http = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        client.getOutputStream().write(http);
        byte[] got = server.getInputStream().readNBytes(http.length);

        assertThat(got).isEqualTo(http);
        ProtocolErrorEvent error = sink.await(ProtocolErrorEvent.class, e -> true);
        assertThat(error.conn()).isEqualTo("c1");
        assertThat(error.direction()).isEqualTo(Direction.IN);
        assertThat(error.offset()).isZero();
        assertThat(error.message()).contains("greeting");
        assertThat(tap.statistics().protocolErrors()).isEqualTo(1);
    }

    @Test
    void aReaderThatStopsReadingMakesTheWriterBlockInsteadOfTheTapBuffering() throws Exception {
        ServerSocket upstream = server();
        upstream.setReceiveBufferSize(64 * 1024);
        WireTap tap = tapTo(upstream);
        Socket client = connect(tap);
        client.setSendBufferSize(64 * 1024);
        Socket server = accept(upstream);
        int total = 256 << 20;
        AtomicLong written = new AtomicLong();
        Future<?> writer = pool.submit(() -> {
            OutputStream out = client.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            while (written.get() < total) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
            client.shutdownOutput();
            return null;
        });

        // The server reads nothing: wait until the writer has made no progress for half a second.
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = written.get();
            boolean stalled = now == last[0];
            last[0] = now;
            return stalled;
        });
        // Kernel socket buffers (autotuned, at most some tens of MiB on loopback) plus one 64 KiB pump buffer.
        assertThat(written.get()).isLessThan(total / 2);
        assertThat(writer).isNotDone();

        Future<byte[]> serverGot = digestUntilEnd(server);
        writer.get(60, TimeUnit.SECONDS);
        assertThat(serverGot.get(60, TimeUnit.SECONDS)).isEqualTo(sha256(new byte[total]));
    }

    @Test
    void aHalfCloseIsPassedOnAndTheOtherDirectionKeepsFlowing() throws Exception {
        Link link = link();
        WireTap tap = link.tap();
        Socket client = link.client();
        Socket server = link.server();

        client.getOutputStream().write("request".getBytes());
        client.shutdownOutput();
        assertThat(server.getInputStream().readNBytes(7)).isEqualTo("request".getBytes());
        assertThat(server.getInputStream().read()).isEqualTo(-1); // the client's FIN arrived

        server.getOutputStream().write("late reply".getBytes());
        server.close();
        assertThat(client.getInputStream().readAllBytes()).isEqualTo("late reply".getBytes());

        ConnectionEvent closed = sink.await(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED);
        assertThat(closed.bytesIn()).isEqualTo(7);
        assertThat(closed.bytesOut()).isEqualTo(10);
        assertThat(closed.client()).isEqualTo("127.0.0.1:" + client.getLocalPort());
        assertThat(closed.upstream()).isEqualTo("127.0.0.1:" + link.upstream().getLocalPort());
        await().atMost(Duration.ofSeconds(10)).until(() -> tap.statistics().active() == 0);
    }

    @Test
    void anUnreachableUpstreamClosesTheClientWithOneErrorEvent() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        WireTap tap = closing(WireTap.builder()
                .route("tcp://127.0.0.1:0", "tcp://127.0.0.1:" + closedPort)
                .sink(sink)
                .start());
        Socket client = connect(tap);

        assertThat(readOrReset(client)).isEqualTo(-1);
        NoticeEvent error = sink.await(NoticeEvent.class, e -> e.level() == NoticeEvent.Level.ERROR);
        assertThat(error.conn()).isEqualTo("c1");
        assertThat(error.text()).isEqualTo("cannot connect to upstream tcp://127.0.0.1:" + closedPort
                + ": connection refused; closed client 127.0.0.1:" + client.getLocalPort());
        assertThat(sink.all(ConnectionEvent.class)).isEmpty();
        assertThat(tap.statistics().upstreamFailures()).isEqualTo(1);
    }

    @Test
    void manyConnectionsAreForwardedConcurrentlyAndIndependently() throws Exception {
        ServerSocket upstream = server();
        Future<?> echo = pool.submit(() -> {
            for (int i = 0; i < 20; i++) {
                Socket s = accept(upstream);
                pool.submit(() -> {
                    s.getInputStream().transferTo(s.getOutputStream());
                    s.shutdownOutput();
                    return null;
                });
            }
            return null;
        });
        WireTap tap = tapTo(upstream);
        List<Future<byte[]>> replies = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Socket c = connect(tap);
            byte[] data = random(200_000 + i, i);
            sent.add(data);
            replies.add(digestUntilEnd(c));
            send(c, data, i);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(replies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(sha256(sent.get(i)));
        }
        echo.get(10, TimeUnit.SECONDS);
        sink.await(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED, 20);
        assertThat(tap.statistics().connections()).isEqualTo(20);
        assertThat(sink.all(ConnectionEvent.class).stream().map(ConnectionEvent::conn).distinct()).hasSize(20);
    }

    @Test
    void closingTheTapResetsOpenConnectionsAndStopsEveryThread() throws Exception {
        // an earlier test's pipeline may still be winding down in this JVM: only this tap's threads count
        Set<Thread> before = zmqtapThreads();
        Link link = link();
        WireTap tap = link.tap();
        Socket client = link.client();
        Socket server = link.server();
        client.getOutputStream().write(1);
        assertThat(server.getInputStream().read()).isEqualTo(1);

        tap.close();

        assertThat(readOrReset(server)).isEqualTo(-1);
        assertThat(sink.all(ConnectionEvent.class, e -> e.kind() == ConnectionEvent.Kind.CLOSED)).hasSize(1);
        assertThat(zmqtapThreads()).as("threads the tap started, alive after close()")
                .allMatch(before::contains);
    }

    private static Set<Thread> zmqtapThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("zmqtap-") && t.isAlive()) {
                threads.add(t);
            }
        }
        return threads;
    }

    @Test
    void listeningOnAPortInUseFailsWithOneLine() throws Exception {
        ServerSocket taken = server();
        String endpoint = "tcp://127.0.0.1:" + taken.getLocalPort();
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        WireTap.builder().route(endpoint, "tcp://127.0.0.1:1").start())
                .isInstanceOf(io.zmqtap.ZmqTapException.class)
                .hasMessage("cannot listen on " + endpoint + ": address already in use");
    }
}
