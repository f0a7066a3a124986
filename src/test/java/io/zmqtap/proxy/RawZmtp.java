package io.zmqtap.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.zmqtap.zmtp.ZmtpEncoder;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** ZMTP bytes written by hand, and a peer on a plain socket that sends them: for the wire engine's tests. */
final class RawZmtp {
    private RawZmtp() {}

    static byte[] readyAs(String socketType) {
        Map<String, byte[]> properties = new LinkedHashMap<>();
        properties.put("Socket-Type", ascii(socketType));
        return ZmtpEncoder.ready(properties);
    }

    /** One message frame: header and body. */
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

    record RawFrame(int flags, byte[] body) {
        boolean command() {
            return (flags & ZmtpEncoder.COMMAND) != 0;
        }

        boolean more() {
            return (flags & ZmtpEncoder.MORE) != 0;
        }
    }

    /** A ZMTP peer written by hand on a plain socket, for bytes a JeroMQ socket would never send. */
    static final class RawPeer implements AutoCloseable {
        private final Socket socket = new Socket();
        private final DataInputStream in;
        private final OutputStream out;

        RawPeer(int port) throws IOException {
            this(port, 0);
        }

        /** @param receiveBuffer the socket's receive buffer in bytes, or 0 for the system's */
        RawPeer(int port, int receiveBuffer) throws IOException {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setSoTimeout(Wire.TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), Wire.TIMEOUT_MS);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = socket.getOutputStream();
        }

        int localPort() {
            return socket.getLocalPort();
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Greets as a NULL {@code socketType} and checks the queue greets back as a ROUTER. */
        void handshake(String socketType) throws IOException {
            send(concat(ZmtpEncoder.greeting(), readyAs(socketType)));
            byte[] greeting = in.readNBytes(ZmtpEncoder.GREETING_SIZE);
            assertThat(greeting).isEqualTo(ZmtpEncoder.greeting());
            RawFrame ready = readFrame();
            assertThat(ready.command()).isTrue();
            byte[] routerReady = readyAs("ROUTER");
            assertThat(ready.body()).isEqualTo(Arrays.copyOfRange(routerReady, 2, routerReady.length)); // after "04 1c"
        }

        RawFrame readFrame() throws IOException {
            int flags = in.readUnsignedByte();
            long size = (flags & ZmtpEncoder.LONG) != 0 ? in.readLong() : in.readUnsignedByte();
            assertThat(size).as("frame size").isBetween(0L, (long) Integer.MAX_VALUE);
            byte[] body = in.readNBytes((int) size);
            assertThat(body).as("a whole frame").hasSize((int) size);
            return new RawFrame(flags, body);
        }

        /** The next message's frames as text, commands skipped. */
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

        /** Reads (and drops) whatever comes until the queue closes the connection; fails after the timeout. */
        void awaitDisconnected() throws IOException {
            byte[] sink = new byte[4096];
            try {
                while (in.read(sink) >= 0) {
                    // the queue's greeting and READY, sent before it read ours
                }
            } catch (SocketTimeoutException e) {
                fail("still connected after %d ms", Wire.TIMEOUT_MS);
            } catch (IOException e) {
                // reset: the queue closed with our bytes unread, which is a disconnect too
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

}
