package io.zmqtap.pcap;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The segments of one TCP connection, synthesised for tests: sequence numbers, ACKs and times kept
 * as a real stack would (each segment 1 ms after the last one made). Segments are made in causal
 * order; tests then drop, reorder or repeat them.
 *
 * <p>Usage: {@code c.syn(); c.synAck(); c.ack(); c.client(greeting, 10, 1); c.server(...); c.clientFin();}
 */
final class TcpConversation {
    static final Instant T0 = Instant.parse("2026-11-26T10:15:02.000Z");
    private static final long MASK = 0xFFFF_FFFFL;

    final InetSocketAddress client;
    final InetSocketAddress server;
    private long clientSeq;
    private long serverSeq;
    private Instant time;
    private final List<TcpSegment> all = new ArrayList<>();

    TcpConversation(InetSocketAddress client, InetSocketAddress server, long clientIsn, long serverIsn, Instant start) {
        this.client = client;
        this.server = server;
        this.clientSeq = clientIsn & MASK;
        this.serverSeq = serverIsn & MASK;
        this.time = start;
    }

    /** 127.0.0.1:{@code clientPort} to 127.0.0.1:{@code serverPort}, with sequence numbers that are easy to follow. */
    static TcpConversation loopback(int clientPort, int serverPort) {
        return new TcpConversation(new InetSocketAddress("127.0.0.1", clientPort), new InetSocketAddress("127.0.0.1", serverPort),
                1_000_000, 5_000_000, T0);
    }

    /** Every segment made so far, in the order made. */
    List<TcpSegment> all() {
        return all;
    }

    TcpSegment syn() {
        TcpSegment s = segment(true, clientSeq, 0, true, false, false, false, new byte[0]);
        clientSeq = (clientSeq + 1) & MASK;
        return s;
    }

    TcpSegment synAck() {
        TcpSegment s = segment(false, serverSeq, clientSeq, true, false, false, true, new byte[0]);
        serverSeq = (serverSeq + 1) & MASK;
        return s;
    }

    /** The client's bare ACK. */
    TcpSegment ack() {
        return segment(true, clientSeq, serverSeq, false, false, false, true, new byte[0]);
    }

    /** The server's bare ACK. */
    TcpSegment serverAck() {
        return segment(false, serverSeq, clientSeq, false, false, false, true, new byte[0]);
    }

    /** The client sends {@code bytes} in segments of {@code sizes} (the rest in a last one). */
    List<TcpSegment> client(byte[] bytes, int... sizes) {
        return data(true, bytes, sizes);
    }

    /** The server sends {@code bytes} in segments of {@code sizes} (the rest in a last one). */
    List<TcpSegment> server(byte[] bytes, int... sizes) {
        return data(false, bytes, sizes);
    }

    TcpSegment clientFin() {
        TcpSegment s = segment(true, clientSeq, serverSeq, false, true, false, true, new byte[0]);
        clientSeq = (clientSeq + 1) & MASK;
        return s;
    }

    TcpSegment serverFin() {
        TcpSegment s = segment(false, serverSeq, clientSeq, false, true, false, true, new byte[0]);
        serverSeq = (serverSeq + 1) & MASK;
        return s;
    }

    TcpSegment clientRst() {
        return segment(true, clientSeq, serverSeq, false, false, true, true, new byte[0]);
    }

    private List<TcpSegment> data(boolean fromClient, byte[] bytes, int... sizes) {
        List<TcpSegment> made = new ArrayList<>();
        int at = 0;
        for (int i = 0; at < bytes.length; i++) {
            int n = i < sizes.length ? Math.min(sizes[i], bytes.length - at) : bytes.length - at;
            byte[] payload = Arrays.copyOfRange(bytes, at, at + n);
            if (fromClient) {
                made.add(segment(true, clientSeq, serverSeq, false, false, false, true, payload));
                clientSeq = (clientSeq + n) & MASK;
            } else {
                made.add(segment(false, serverSeq, clientSeq, false, false, false, true, payload));
                serverSeq = (serverSeq + n) & MASK;
            }
            at += n;
        }
        return made;
    }

    private TcpSegment segment(boolean fromClient, long seq, long ack, boolean syn, boolean fin, boolean rst, boolean ackFlag,
            byte[] payload) {
        time = time.plus(Duration.ofMillis(1));
        TcpSegment s = new TcpSegment(time, fromClient ? client : server, fromClient ? server : client, seq, ack,
                syn, fin, rst, ackFlag, ByteBuffer.wrap(payload).asReadOnlyBuffer(), payload.length, all.size());
        all.add(s);
        return s;
    }

    /** The same segment with a fresh view of its payload, as a reader hands over each packet. */
    static TcpSegment fresh(TcpSegment s) {
        return new TcpSegment(s.time(), s.source(), s.destination(), s.seq(), s.ack(), s.syn(), s.fin(), s.rst(), s.ackFlag(),
                s.payload().duplicate(), s.payloadLength(), s.fileOffset());
    }

    /** The same segment as a capture with a snap length keeps it: only the first {@code captured} payload bytes. */
    static TcpSegment cut(TcpSegment s, int captured) {
        ByteBuffer p = s.payload().duplicate();
        p.limit(p.position() + captured);
        return new TcpSegment(s.time(), s.source(), s.destination(), s.seq(), s.ack(), s.syn(), s.fin(), s.rst(), s.ackFlag(),
                p.slice(), s.payloadLength(), s.fileOffset());
    }

    /** The same segment seen at another time (a retransmission). */
    static TcpSegment at(TcpSegment s, Instant time) {
        return new TcpSegment(time, s.source(), s.destination(), s.seq(), s.ack(), s.syn(), s.fin(), s.rst(), s.ackFlag(),
                s.payload().duplicate(), s.payloadLength(), s.fileOffset());
    }

    /** A retransmission that packs bytes {@code [from, to)} of a run of one direction's consecutive segments anew. */
    static TcpSegment repack(List<TcpSegment> run, int from, int to) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (TcpSegment s : run) {
            ByteBuffer p = s.payload().duplicate();
            byte[] b = new byte[p.remaining()];
            p.get(b);
            all.writeBytes(b);
        }
        byte[] bytes = Arrays.copyOfRange(all.toByteArray(), from, to);
        TcpSegment head = run.get(0);
        return new TcpSegment(head.time(), head.source(), head.destination(), (head.seq() + from) & MASK, head.ack(),
                false, false, false, true, ByteBuffer.wrap(bytes).asReadOnlyBuffer(), bytes.length, head.fileOffset());
    }
}
