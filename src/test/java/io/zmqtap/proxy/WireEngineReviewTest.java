package io.zmqtap.proxy;

import static io.zmqtap.proxy.Wire.receive;
import static io.zmqtap.proxy.Wire.send;
import static io.zmqtap.proxy.Wire.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.zmqtap.testing.Closer;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** Review findings on the wire engine, each shown by a test that failed before its fix. */
class WireEngineReviewTest {
    private static final String LOOPBACK = "@tcp://127.0.0.1:*";

    private final Wire wire = new Wire();
    private final Closer closer = new Closer();
    private final BlockingQueue<String> notices = new LinkedBlockingQueue<>();

    @AfterEach
    void closeEverything() {
        try {
            closer.close();
        } finally {
            wire.close();
        }
    }

    private MonitoredQueue start(MonitoredQueue.Builder builder) {
        MonitoredQueue queue = closer.add(builder.start());
        assertThat(queue.engine()).isEqualTo(MonitoredQueue.Engine.WIRE);
        return queue;
    }

    private MonitoredQueue.Builder wireQueue() {
        return MonitoredQueue.builder().engine(MonitoredQueue.Engine.WIRE).frontend(LOOPBACK).notices(notices::add);
    }

    @Test
    void aPingFromAnIdleClientIsAnsweredWhileThePausedQueueHoldsTraffic() throws Exception {
        ZMQ.Socket server = wire.bind(SocketType.ROUTER);
        MonitoredQueue queue = start(wireQueue().backend(">" + server.getLastEndpoint()));
        try (RawPeer peer = closer.add(new RawPeer(port(queue.frontendEndpoints())))) {
            peer.handshake("DEALER");
            queue.pause();
            // the pause takes effect on the queue's thread: a message sent after it is held
            peer.send(concat(frame(true, new byte[0]), frame(false, ascii("held"))));
            peer.send(hex("04 0c 0450494e47 000a 6374782d31")); // PING, ttl 1 s, context "ctx-1"
            RawFrame pong = peer.readFrame(); // fails on timeout
            assertThat(pong.command()).isTrue();
            assertThat(pong.body()).isEqualTo(hex("04504f4e47 6374782d31"));
            queue.resume();
            List<String> got = strings(receive(server));
            assertThat(got.subList(2, got.size())).containsExactly("", "held");
        }
    }

    @Test
    void whatAClientSentBeforeClosingWhileThePausedQueueHeldItIsForwardedOnResume() throws Exception {
        // Guards the fix above: the paused queue now reads, so it sees the close before the messages go.
        ZMQ.Socket server = wire.bind(SocketType.ROUTER);
        MonitoredQueue queue = start(wireQueue().backend(">" + server.getLastEndpoint()));
        try (RawPeer peer = new RawPeer(port(queue.frontendEndpoints()))) {
            peer.handshake("DEALER");
            queue.pause();
            peer.send(hex("04 0c 0450494e47 000a 6374782d31"));
            assertThat(peer.readFrame().command()).as("the PONG: the pause is in force").isTrue();
            peer.send(concat(frame(true, new byte[0]), frame(false, ascii("one")),
                    frame(true, new byte[0]), frame(false, ascii("two"))));
        }
        Thread.sleep(200); // let the queue read the close while paused (the test passes without it too)
        queue.resume();
        List<String> first = strings(receive(server));
        List<String> second = strings(receive(server));
        assertThat(first.subList(2, first.size())).containsExactly("", "one");
        assertThat(second.subList(2, second.size())).containsExactly("", "two");
    }

    @Test
    void aMessageOfEndlessEmptyFramesIsRefusedNotBufferedWithoutBound() throws Exception {
        // Empty frames add nothing to a message's size, so the limit never tripped and the input
        // buffer grew with every frame (towards 2 GiB: an OutOfMemoryError ends the whole queue).
        ZMQ.Socket server = wire.bind(SocketType.ROUTER);
        MonitoredQueue queue = start(wireQueue().backend(">" + server.getLastEndpoint()).maxMessageSize(1024));
        try (RawPeer peer = new RawPeer(port(queue.frontendEndpoints()))) {
            peer.handshake("DEALER");
            byte[] emptyFrames = new byte[2 * 100_000];
            for (int i = 0; i < emptyFrames.length; i += 2) {
                emptyFrames[i] = ZmtpEncoder.MORE; // size 0, more to come
            }
            try {
                peer.send(emptyFrames);
            } catch (IOException e) {
                // reset: the queue closed with our bytes unread
            }
            peer.awaitDisconnected();
        }
        String notice = notices.poll(Wire.TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(notice).contains("a message of ").contains("over the 1024-byte limit");
        assertThat(queue.isRunning()).isTrue();
    }

    @Test
    void theScannerCountsEmptyFramesHeadersAgainstTheLimit() {
        FrameScanner small = new FrameScanner(10);
        ByteBuffer fiveEmpty = ByteBuffer.wrap(hex("01 00 01 00 01 00 01 00 00 00"));
        assertThat(catchThrowable(() -> small.scan(fiveEmpty, 0, fiveEmpty.limit()))).isNull(); // 10 bytes of headers
        ByteBuffer sixEmpty = ByteBuffer.wrap(hex("01 00 01 00 01 00 01 00 01 00 00 00"));
        assertThat(catchThrowable(() -> small.scan(sixEmpty, 0, sixEmpty.limit())))
                .isInstanceOf(FrameScanner.WireProtocolException.class)
                .hasMessage("a message of 6 frames or more, over the 10-byte limit");
    }

    // ---- helpers ----

    private static int port(List<String> endpoints) {
        String e = endpoints.get(0);
        return Integer.parseInt(e.substring(e.lastIndexOf(':') + 1));
    }

    static byte[] readyAs(String socketType) {
        Map<String, byte[]> properties = new LinkedHashMap<>();
        properties.put("Socket-Type", ascii(socketType));
        return ZmtpEncoder.ready(properties);
    }

    static byte[] frame(boolean more, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(ZmtpEncoder.headerSize(body.length) + body.length);
        ZmtpEncoder.frameHeader(b, body.length, more);
        return b.put(body).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] hex(String text) {
        String h = text.replaceAll("\\s", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    record RawFrame(int flags, byte[] body) {
        boolean command() {
            return (flags & ZmtpEncoder.COMMAND) != 0;
        }

        boolean more() {
            return (flags & ZmtpEncoder.MORE) != 0;
        }
    }

    /** A hand-written ZMTP peer on a plain socket; every read times out after {@link Wire#TIMEOUT_MS}. */
    static final class RawPeer implements AutoCloseable {
        final Socket socket = new Socket();
        final DataInputStream in;
        final OutputStream out;

        RawPeer(int port) throws IOException {
            socket.setSoTimeout(Wire.TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), Wire.TIMEOUT_MS);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = socket.getOutputStream();
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void handshake(String socketType) throws IOException {
            send(concat(ZmtpEncoder.greeting(), readyAs(socketType)));
            assertThat(in.readNBytes(ZmtpEncoder.GREETING_SIZE)).hasSize(ZmtpEncoder.GREETING_SIZE);
            assertThat(readFrame().command()).isTrue();
        }

        RawFrame readFrame() throws IOException {
            int flags = in.readUnsignedByte();
            long size = (flags & ZmtpEncoder.LONG) != 0 ? in.readLong() : in.readUnsignedByte();
            byte[] body = in.readNBytes((int) size);
            assertThat(body).hasSize((int) size);
            return new RawFrame(flags, body);
        }

        List<String> readMessage() throws IOException {
            List<String> frames = new ArrayList<>();
            RawFrame f;
            do {
                f = readFrame();
                if (!f.command()) {
                    frames.add(new String(f.body(), StandardCharsets.ISO_8859_1));
                }
            } while (f.command() || f.more());
            return frames;
        }

        /** Reads until the queue closes the connection; fails after the timeout. */
        void awaitDisconnected() throws IOException {
            byte[] sink = new byte[4096];
            try {
                while (in.read(sink) >= 0) {
                    // whatever the queue sent before closing
                }
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("still connected after " + Wire.TIMEOUT_MS + " ms");
            } catch (IOException e) {
                // reset: a disconnect too
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
