package io.zmqtap.pcap;

import io.zmqtap.dissect.ConnectionDissector;
import io.zmqtap.event.NoticeEvent;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One TCP connection: both directions, what is known of it (is it ZeroMQ, who is the client) and,
 * once it is deemed ZeroMQ, the {@link ConnectionDissector} its bytes go to.
 *
 * <p>Until the reassembler knows whether the flow is ZeroMQ and which end is the client, it is
 * <em>pending</em>: its bytes are held (a greeting's worth at most, usually one segment) and read by
 * {@link FlowRoles}. Then they are passed on (ZeroMQ) or dropped (not ZeroMQ: from then on each
 * segment costs a lookup and a flag test).
 */
final class Flow {
    private enum State { PENDING, ZEROMQ, IGNORED }

    private final TcpReassembler reassembler;
    private final Tally tally;
    /** The end that sent the first segment the capture has of this flow, and the other. */
    final HalfStream first;
    final HalfStream second;
    /** The flow's place in the capture: flows that appeared earlier have lower numbers. */
    final long order;
    /** No SYN was captured: where the streams start and who is the client had to be guessed. */
    private final boolean midStream;
    private State state = State.PENDING;
    private HalfStream client;
    private ConnectionDissector conn;
    private boolean closed;
    /** Moved to the reassembler's lingering flows (it is closed). */
    boolean lingering;
    Instant lastSeen;

    Flow(TcpReassembler reassembler, TcpSegment s, long order) {
        this.reassembler = reassembler;
        this.tally = reassembler.tally;
        this.order = order;
        this.first = new HalfStream(this, s.source(), s.destination(), tally);
        this.second = new HalfStream(this, s.destination(), s.source(), tally);
        this.midStream = !s.syn();
        if (s.syn()) {
            client = s.ackFlag() ? second : first; // the SYN's sender connected; a SYN+ACK's sender is the server
        }
        this.lastSeen = s.time();
    }

    /** Takes one segment that {@code h}'s end sent. */
    void segment(HalfStream h, TcpSegment s) {
        Instant time = s.time();
        lastSeen = time;
        if (s.rst()) {
            end(time);
            return;
        }
        HalfStream peer = h == first ? second : first;
        long seq = s.seq();
        if (s.syn()) {
            seq++; // the SYN takes one sequence number
            h.start(seq);
        } else if (!h.started() && (!midStream || s.payloadLength() > 0 || s.fin())) {
            h.start(seq); // joined mid-stream: the first bytes seen start the stream (a bare ACK might be a keepalive's)
        }
        if (!midStream && s.ackFlag() && !peer.started()) {
            peer.start(s.ack()); // the handshake's ACK names the peer's first byte (its SYN was not captured)
        }
        if (state == State.IGNORED) {
            if (s.fin()) {
                h.markEnded();
                closed = peer.ended();
            }
            return;
        }
        // The peer's ACK goes first: the bytes it acknowledges were sent before this segment. A
        // pending flow reads this segment's bytes first: they may show it is ZeroMQ.
        boolean acknowledges = s.ackFlag() && peer.started();
        boolean ackedFirst = acknowledges && state == State.ZEROMQ;
        if (ackedFirst) {
            acknowledged(peer, s.ack(), time);
            if (closed) {
                return;
            }
        }
        if (h.started()) {
            if (s.payloadLength() > 0) {
                h.data(h.offset(seq), s.payload(), s.payloadLength(), time);
            }
            if (s.fin()) {
                h.fin(h.offset(seq + s.payloadLength()));
            }
        }
        if (closed) {
            return;
        }
        if (state == State.PENDING) {
            decide(time, h.complete() && peer.complete());
        } else if (state == State.ZEROMQ) {
            h.settle(time);
        }
        if (acknowledges && !ackedFirst && !closed && state != State.IGNORED) {
            acknowledged(peer, s.ack(), time);
        }
    }

    /** The other end acknowledged up to {@code ack}: bytes of {@code h}'s it received and the capture has not are lost to it. */
    private void acknowledged(HalfStream h, long ack, Instant time) {
        if (h.ended()) {
            return;
        }
        long acked = h.offset(ack);
        long have = h.firstMissing();
        long finAt = h.finAt();
        long allowed = finAt >= 0 && have >= finAt ? finAt + 1 : have; // the FIN takes one sequence number
        if (acked > allowed) {
            gap(h, time, acked);
        }
    }

    /**
     * Decides, if it can, whether this pending flow is ZeroMQ and which end is the client; with
     * {@code force} (the flow or a direction ends) it decides on what it has.
     *
     * <p>ZeroMQ: one end has a port the user gave ({@code --port}, {@code --server-port}), or the
     * first bytes of either direction are a ZMTP greeting's signature (0xFF, 8 bytes, 0x7F). Not
     * ZeroMQ: the first bytes of a direction are anything else (ZMTP peers greet at once, so the first
     * bytes either end sends are a greeting). A flow joined mid-stream is therefore only decoded when
     * a port says it is ZeroMQ. Forced with fewer than 10 bytes: ZeroMQ when they could start a greeting.
     */
    void decide(Instant time, boolean force) {
        if (state != State.PENDING) {
            return;
        }
        byte[] scratch = reassembler.scratch;
        int n = first.prefix(scratch);
        FlowRoles.Signature signFirst = FlowRoles.signature(scratch, n);
        int asServerFirst = FlowRoles.asServer(scratch, n);
        n = second.prefix(scratch);
        FlowRoles.Signature signSecond = FlowRoles.signature(scratch, n);
        int asServerSecond = FlowRoles.asServer(scratch, n);
        boolean greetingSeen = signFirst == FlowRoles.Signature.GREETING || signSecond == FlowRoles.Signature.GREETING;

        if (!reassembler.zeromqPort(first.port) && !reassembler.zeromqPort(second.port)) {
            boolean greeting = signFirst == FlowRoles.Signature.GREETING || signSecond == FlowRoles.Signature.GREETING;
            boolean maybe = signFirst == FlowRoles.Signature.MAYBE || signSecond == FlowRoles.Signature.MAYBE;
            boolean not = signFirst == FlowRoles.Signature.NOT_ZMTP || signSecond == FlowRoles.Signature.NOT_ZMTP;
            if (!greeting && (not || force && !maybe)) {
                ignore();
                return;
            }
            if (!greeting && !force) {
                return;
            }
        }
        String why = null;
        if (client == null) {
            FlowRoles.Choice choice = FlowRoles.server(first.port, second.port, reassembler.serverPort,
                    reassembler.zeromqPorts, asServerFirst, asServerSecond, force);
            if (choice == null) {
                return;
            }
            client = choice.firstIsServer() ? second : first;
            why = choice.why();
        }
        open(time, why, midStream && !greetingSeen);
    }

    private void ignore() {
        state = State.IGNORED;
        tally.ignoredFlows++;
        reassembler.ignored.add(midStream, first.port, second.port);
        first.dropHeld();
        second.dropHeld();
        if (first.finAt() >= 0) {
            first.markEnded();
        }
        if (second.finAt() >= 0) {
            second.markEnded();
        }
        closed = first.ended() && second.ended();
    }

    /**
     * Deemed ZeroMQ: the connection gets its dissector, and what was held is passed on.
     * {@code afterHandshake}: the capture joined after the greetings, so where frames begin is not
     * known; each direction is decoded from the first frame boundary its dissector can trust (never a
     * wrong message), and says so.
     */
    private void open(Instant time, String why, boolean afterHandshake) {
        state = State.ZEROMQ;
        HalfStream server = client == first ? second : first;
        String id = "c" + ++tally.zeromqFlows;
        String clientText = Addresses.text(client.sender);
        String serverText = Addresses.text(server.sender);
        conn = reassembler.dissector.connection(reassembler.source, id, clientText, serverText);
        if (midStream) {
            reassembler.notices.accept(new NoticeEvent(time, reassembler.source, id, NoticeEvent.Level.INFO,
                    "joined mid-stream (no SYN captured): " + clientText + " taken as the client and " + serverText
                            + " as the server, by " + why));
        }
        if (afterHandshake) {
            conn.joinedMidStream(time);
        }
        client.drain(time);
        server.drain(time);
        client.settle(time);
        server.settle(time);
    }

    /**
     * The bytes of {@code h}'s direction before {@link HalfStream#holeEnd(long) holeEnd(hint)} will
     * never come: reports them once to the dissector, which says so and resumes decoding that
     * direction where a frame boundary can be trusted again, then passes on what comes after the hole.
     */
    void gap(HalfStream h, Instant time, long hint) {
        decide(time, true);
        if (state != State.ZEROMQ) {
            h.dropHeld();
            return;
        }
        if (h.ended() || closed) {
            return;
        }
        long end = h.holeEnd(hint);
        if (end <= h.next()) {
            return;
        }
        long missing = end - h.next();
        tally.gaps++;
        if (h == client) {
            conn.clientGap(missing, time);
        } else {
            conn.serverGap(missing, time);
        }
        h.skipTo(end, time); // what was held beyond the hole goes on
        h.settle(time); // a FIN already seen now ends the direction
    }

    /**
     * {@code h} gives up everything it holds to free memory for other flows: what it held is dropped
     * and reported with the hole before it as one gap, and its stream goes on after the last byte it
     * held (decoding resumes at a trusted frame boundary, as after any gap).
     */
    void evict(HalfStream h, Instant time) {
        long end = h.heldEnd();
        h.dropHeld();
        gap(h, time, end);
        if (h.heldBytes() > 0) {
            h.dropHeld(); // never loops: a direction given up holds nothing more for now
        }
    }

    /** Every byte of {@code h}'s direction up to its FIN is through. */
    void ended(HalfStream h, Instant time) {
        h.markEnded();
        if (conn == null) {
            return; // closed already (its decoders are gone)
        }
        if (h == client) {
            conn.clientEnded(time);
        } else {
            conn.serverEnded(time);
        }
        HalfStream peer = h == first ? second : first;
        if (peer.ended()) {
            close(time);
        }
    }

    /** Hands bytes in order to the dissector. */
    void pass(HalfStream h, ByteBuffer chunk, Instant time) {
        if (conn == null) {
            return; // closed: nothing more is decoded
        }
        if (h == client) {
            conn.client(chunk, time);
        } else {
            conn.server(chunk, time);
        }
    }

    /** The flow is over (RST, end of capture, idle, port reused): holes become gaps, then {@code CLOSED}. */
    void end(Instant time) {
        if (closed) {
            return;
        }
        decide(time, true);
        if (state == State.ZEROMQ) {
            HalfStream server = client == first ? second : first;
            finishDirection(client, time);
            finishDirection(server, time);
            close(time);
        } else {
            closed = true;
            first.dropHeld();
            second.dropHeld();
        }
    }

    private void finishDirection(HalfStream h, Instant time) {
        if (!h.ended()) {
            gap(h, time, -1);
        }
    }

    private void close(Instant time) {
        if (closed) {
            return;
        }
        closed = true;
        first.dropHeld();
        second.dropHeld();
        conn.close(time);
        // A closed flow lingers to absorb late ACKs and retransmissions: without its decoders, so that
        // the flows of the last minutes cost a few hundred bytes each, not their dissectors.
        conn = null;
    }

    /** True while the flow holds a dissector: opened as ZeroMQ and not closed. */
    boolean dissecting() {
        return conn != null;
    }

    /** True while the flow's bytes go to a dissector. */
    boolean passing() {
        return state == State.ZEROMQ && !closed;
    }

    boolean pending() {
        return state == State.PENDING;
    }

    boolean closed() {
        return closed;
    }

    boolean zeromq() {
        return state == State.ZEROMQ;
    }
}
