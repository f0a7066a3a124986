package io.zmqtap.pcap;

import io.zmqtap.testing.ZmtpBytes;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a capture file in which one well-behaved REQ/REP conversation is interleaved, round by
 * round, with hostile peers and flows zmqtap must not decode, streamed to disk (never held whole):
 * <ul>
 *   <li>{@link #GOOD}: REQ {@code 10.9.0.1} to REP {@code 10.0.0.2:5555}, identity {@code good},
 *       {@code "request i"} answered by {@code "reply i"}, one pair a round;
 *   <li>{@link #ANNOUNCERS} peers that announce a data frame of {@code 1 MiB - 1} bytes (just under
 *       the default --snap) and trickle a byte every few rounds; one announcing 2<sup>63</sup>-1 bytes
 *       (the largest size ZMTP allows) that trickles too; one announcing 2<sup>63</sup> (one too many);
 *   <li>one peer sending {@link #ENDLESS_FRAMES} frames of {@link #ENDLESS_FRAME_SIZE} bytes, MORE on
 *       every one: one message that never ends;
 *   <li>{@link #HALF_HANDSHAKES} clients that send a SYN and their greeting, then nothing (never closed);
 *   <li>{@link #HOLES} connections whose client, after the greetings, sends {@link #HOLE_PIECES}
 *       one-byte segments every other byte ahead of a byte never captured (nothing acknowledges);
 *   <li>one peer whose valid greeting and READY are followed by garbage, a segment a round;
 *   <li>{@link #NOT_ZEROMQ} HTTP connections and {@link #MID_STREAM} ZeroMQ connections whose start
 *       the capture missed (no SYN, no greeting) on {@link #MID_STREAM_PORTS}.
 * </ul>
 * Raw IPv4 packets (link type 101), 10 µs apart. Usage: {@code HostileCapture.write(dir.resolve("h.pcap"))}.
 */
final class HostileCapture {
    static final int ROUNDS = 2_000;
    static final int ANNOUNCERS = 200;
    static final long JUST_UNDER_SNAP = (1 << 20) - 1;
    static final int ENDLESS_FRAMES = 300_000;
    static final int ENDLESS_FRAME_SIZE = 200;
    static final int HALF_HANDSHAKES = 3_000;
    static final int HOLES = 2_000;
    static final int HOLE_PIECES = 500;
    static final int NOT_ZEROMQ = 300;
    static final int MID_STREAM = 400;
    static final int[] MID_STREAM_PORTS = {6001, 6002, 6003, 6004, 6005, 6006, 6007};
    static final int SERVER_PORT = 5555;
    static final String GOOD = "10.9.0.1";
    static final String GARBAGE = "10.8.0.1";
    static final String ENDLESS = "10.7.0.1";
    static final String HUGEST = "10.6.0.1";
    static final String TOO_HUGE = "10.6.0.2";
    /** Every flow in the file. */
    static final int FLOWS = 1 + ANNOUNCERS + 2 + 1 + HALF_HANDSHAKES + HOLES + 1 + NOT_ZEROMQ + MID_STREAM;
    /** The flows that start with a greeting. */
    static final int ZEROMQ_FLOWS = FLOWS - NOT_ZEROMQ - MID_STREAM;

    private static final byte[] SERVER = {10, 0, 0, 2};
    private static final int MSS = 1460;
    private static final byte[] GREETING = new ZmtpBytes().greeting(1).bytes();
    private static final byte[] DEALER_READY = new ZmtpBytes().ready("DEALER", null).bytes();
    private static final byte[] ROUTER_READY = new ZmtpBytes().ready("ROUTER", null).bytes();

    private final OutputStream out;
    private final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    private long micros = 1_700_000_000_000_000L;
    private long packets;

    private HostileCapture(OutputStream out) {
        this.out = out;
    }

    /** Writes the file to try by hand: {@code java -cp target/test-classes:target/classes io.zmqtap.pcap.HostileCapture h.pcap}. */
    public static void main(String[] args) {
        System.out.println(write(Path.of(args[0])) + " packets");
    }

    /** Writes the whole file; returns how many packets it holds. */
    static long write(Path file) {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            HostileCapture w = new HostileCapture(os);
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(LinkType.RAW);
            os.write(h.array());
            w.all();
            return w.packets;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void all() {
        Conn good = new Conn(GOOD, 40000);
        good.open();
        good.client(GREETING);
        good.server(GREETING);
        good.client(new ZmtpBytes().ready("REQ", "good").bytes());
        good.server(new ZmtpBytes().ready("REP", null).bytes());

        List<Conn> announcers = new ArrayList<>();
        Conn hugest = zeromq(HUGEST, 40000);
        hugest.client(longFrameHeader(Long.MAX_VALUE));
        Conn tooHuge = zeromq(TOO_HUGE, 40000);
        tooHuge.client(longFrameHeader(Long.MIN_VALUE)); // 2^63 unsigned: no frame may be that large
        Conn endless = zeromq(ENDLESS, 40000);
        Conn garbage = zeromq(GARBAGE, 40000);
        List<Conn> holes = new ArrayList<>();
        byte[] endlessRound = endlessFrames(ENDLESS_FRAMES / ROUNDS);

        for (int round = 0; round < ROUNDS; round++) {
            good.client(new ZmtpBytes().message("", "request " + round).bytes());
            if (round < ANNOUNCERS) {
                Conn a = zeromq(address(1, round), 41000 + round);
                a.client(longFrameHeader(JUST_UNDER_SNAP));
                announcers.add(a);
            }
            if (round % 10 == 0) {
                for (Conn a : announcers) {
                    a.client(new byte[] {'x'});
                }
                hugest.client(new byte[] {'y'});
            }
            endless.client(endlessRound);
            if (round < 100) {
                garbage.client(new byte[] {(byte) 0xff, (byte) 0xfe, 'g', 'a', 'r', 'b', 'a', 'g', 'e'});
            }
            for (int i = 0; i < HALF_HANDSHAKES / ROUNDS + 1; i++) {
                int n = round * (HALF_HANDSHAKES / ROUNDS + 1) + i;
                if (n < HALF_HANDSHAKES) {
                    Conn half = new Conn(address(2, n), 42000 + n % 20000);
                    half.syn();
                    half.client(GREETING);
                }
            }
            if (round < HOLES) {
                Conn c = zeromq(address(3, round), 43000 + round);
                c.skip(1); // the byte after the greetings and READY never reaches the capture
                holes.add(c);
            }
            for (Conn c : holes.subList(Math.max(0, holes.size() - 10), holes.size())) {
                c.pieces(HOLE_PIECES / 10); // each in ten bursts
            }
            if (round < NOT_ZEROMQ) {
                Conn http = new Conn(address(4, round), 44000 + round, 8080);
                http.open();
                http.client(ZmtpBytes.ascii("GET /" + round + " HTTP/1.1\r\nHost: x\r\n\r\n"));
                http.server(ZmtpBytes.ascii("HTTP/1.1 204 No Content\r\n\r\n"));
            }
            if (round < MID_STREAM) {
                Conn mid = new Conn(address(5, round), 45000 + round, MID_STREAM_PORTS[round % MID_STREAM_PORTS.length]);
                mid.client(new ZmtpBytes().message("", "joined late " + round).bytes()); // no SYN, no greeting
                mid.server(new ZmtpBytes().message("", "answer").bytes());
            }
            good.server(new ZmtpBytes().message("", "reply " + round).bytes());
        }
        good.clientFin();
        good.serverFin();
        good.ack();
    }

    /** A client that completes the TCP handshake, greets and sends READY (DEALER to ROUTER). */
    private Conn zeromq(String client, int port) {
        Conn c = new Conn(client, port);
        c.open();
        c.client(GREETING);
        c.server(GREETING);
        c.client(DEALER_READY);
        c.server(ROUTER_READY);
        return c;
    }

    /** One data frame's flags (LONG) and 8-byte size; its body follows, or not. */
    private static byte[] longFrameHeader(long size) {
        return ByteBuffer.allocate(9).put((byte) 0x02).putLong(size).array();
    }

    private static byte[] endlessFrames(int n) {
        ByteBuffer b = ByteBuffer.allocate(n * (2 + ENDLESS_FRAME_SIZE));
        byte[] body = new byte[ENDLESS_FRAME_SIZE];
        Arrays.fill(body, (byte) 'e');
        for (int i = 0; i < n; i++) {
            b.put((byte) 0x01).put((byte) ENDLESS_FRAME_SIZE).put(body); // MORE, always
        }
        return b.array();
    }

    /** 10.{@code kind}.x.y for the {@code n}th client of a kind. */
    private static String address(int kind, int n) {
        return "10." + (10 + kind) + "." + (n >> 8) + "." + (n & 0xff);
    }

    private void packet(byte[] source, byte[] destination, byte[] tcp) {
        byte[] ip = Packets.ipv4(source, destination, 6, new byte[0], 0, tcp);
        micros += 10;
        record.clear();
        record.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(ip.length).putInt(ip.length);
        try {
            out.write(record.array());
            out.write(ip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        packets++;
    }

    /** One TCP connection to the server, its sequence numbers kept as a stack would. */
    private final class Conn {
        final byte[] client;
        final int clientPort;
        final int serverPort;
        long clientSeq = 1_000;
        long serverSeq = 900_000;

        Conn(String client, int clientPort) {
            this(client, clientPort, SERVER_PORT);
        }

        Conn(String client, int clientPort, int serverPort) {
            this.client = Packets.address(client);
            this.clientPort = clientPort;
            this.serverPort = serverPort;
        }

        /** SYN, SYN+ACK, ACK. */
        void open() {
            syn();
            packet(SERVER, client, Packets.tcp(serverPort, clientPort, serverSeq, clientSeq, Packets.SYN | Packets.ACK,
                    new byte[0], new byte[0]));
            serverSeq++;
            ack();
        }

        void syn() {
            packet(client, SERVER, Packets.tcp(clientPort, serverPort, clientSeq, 0, Packets.SYN, new byte[0], new byte[0]));
            clientSeq++;
        }

        void client(byte[] bytes) {
            for (int at = 0; at < bytes.length; at += MSS) {
                byte[] piece = Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + MSS));
                packet(client, SERVER, Packets.tcp(clientPort, serverPort, clientSeq, serverSeq, Packets.ACK | Packets.PSH,
                        new byte[0], piece));
                clientSeq += piece.length;
            }
        }

        void server(byte[] bytes) {
            for (int at = 0; at < bytes.length; at += MSS) {
                byte[] piece = Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + MSS));
                packet(SERVER, client, Packets.tcp(serverPort, clientPort, serverSeq, clientSeq, Packets.ACK | Packets.PSH,
                        new byte[0], piece));
                serverSeq += piece.length;
            }
        }

        /** {@code n} bytes the client sent that the capture does not have. */
        void skip(int n) {
            clientSeq += n;
        }

        /** One-byte segments, every other byte: each held on its own, none ever joined to the next. */
        void pieces(int n) {
            for (int i = 0; i < n; i++) {
                clientSeq++;
                packet(client, SERVER, Packets.tcp(clientPort, serverPort, clientSeq, serverSeq, Packets.ACK | Packets.PSH,
                        new byte[0], new byte[] {'h'}));
                clientSeq++;
            }
        }

        void clientFin() {
            packet(client, SERVER, Packets.tcp(clientPort, serverPort, clientSeq, serverSeq, Packets.FIN | Packets.ACK,
                    new byte[0], new byte[0]));
            clientSeq++;
        }

        void serverFin() {
            packet(SERVER, client, Packets.tcp(serverPort, clientPort, serverSeq, clientSeq, Packets.FIN | Packets.ACK,
                    new byte[0], new byte[0]));
            serverSeq++;
        }

        void ack() {
            packet(client, SERVER, Packets.tcp(clientPort, serverPort, clientSeq, serverSeq, Packets.ACK, new byte[0],
                    new byte[0]));
        }
    }
}
