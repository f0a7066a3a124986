package io.zmqtap.pcap;

import io.zmqtap.dissect.Dissector;
import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.CommandEvent;
import io.zmqtap.event.ConnectionEvent;
import io.zmqtap.event.HandshakeEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.NoticeEvent;
import io.zmqtap.event.ProtocolErrorEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A reassembler feeding a dissector, and every event they emitted, for tests. */
final class Reassembly {
    static final String SOURCE = "test.pcap";

    final List<CaptureEvent> events = new ArrayList<>();
    final TcpReassembler reassembler;

    Reassembly() {
        this(TcpReassembler.Options.defaults());
    }

    Reassembly(TcpReassembler.Options options) {
        reassembler = new TcpReassembler(SOURCE, new Dissector(events::add), events::add, options);
    }

    /** Feeds each segment (a fresh view of its payload, as a reader hands them over). */
    Reassembly feed(List<TcpSegment> segments) {
        for (TcpSegment s : segments) {
            reassembler.segment(TcpConversation.fresh(s));
        }
        return this;
    }

    private final TcpDecoder decoder = new TcpDecoder();
    private final CapturedPacket packet = new CapturedPacket();

    /**
     * Feeds each segment as a file reader would: written out as a raw IP packet and decoded again
     * into the decoder's one reused segment, which carries the decoder's endpoint pair (the path
     * {@code zmqtap read} takes, where the reassembler keeps its notes on the pairs).
     */
    Reassembly feedDecoded(List<TcpSegment> segments) {
        for (TcpSegment s : segments) {
            byte[] payload = new byte[s.payload().remaining()];
            s.payload().duplicate().get(payload);
            int flags = (s.syn() ? Packets.SYN : 0) | (s.fin() ? Packets.FIN : 0) | (s.rst() ? Packets.RST : 0)
                    | (s.ackFlag() ? Packets.ACK : 0);
            byte[] tcp = Packets.tcp(s.source().getPort(), s.destination().getPort(), s.seq(), s.ack(), flags, new byte[0], payload);
            byte[] from = s.source().getAddress().getAddress();
            byte[] to = s.destination().getAddress().getAddress();
            byte[] ip = from.length == 4 ? Packets.ipv4(from, to, 6, new byte[0], 0, tcp) : Packets.ipv6(from, to, 6, tcp);
            packet.set(LinkType.RAW, s.time().getEpochSecond(), s.time().getNano(), ByteBuffer.wrap(ip), ip.length, 0);
            reassembler.segment(decoder.decodeView(packet));
        }
        return this;
    }

    Reassembly feed(TcpSegment... segments) {
        return feed(List.of(segments));
    }

    Reassembly finish(Instant time) {
        reassembler.finish(time);
        return this;
    }

    ReassemblyCounters counters() {
        return reassembler.counters();
    }

    /** One line per event, without the time. */
    List<String> lines() {
        return lines(events);
    }

    static List<String> lines(List<CaptureEvent> events) {
        return events.stream().map(Reassembly::line).toList();
    }

    static String line(CaptureEvent e) {
        String head = e.conn() + " ";
        if (e instanceof HandshakeEvent h) {
            return head + h.direction().label() + " ready " + h.socketType() + " " + h.version() + " identity " + h.identity();
        } else if (e instanceof ConnectionEvent c) {
            return head + c.kind() + " " + c.client() + " -> " + c.upstream() + " " + c.clientSocketType() + " -> "
                    + c.serverSocketType() + " in " + c.messagesIn() + " msgs " + c.bytesIn() + " B out " + c.messagesOut()
                    + " msgs " + c.bytesOut() + " B";
        } else if (e instanceof MessageEvent m) {
            return head + m.direction().label() + " #" + m.seq() + " " + m.identity() + " " + m.frames();
        } else if (e instanceof CommandEvent c) {
            return head + c.direction().label() + " " + c.name();
        } else if (e instanceof ProtocolErrorEvent p) {
            return head + p.direction().label() + " error at " + p.offset() + ": " + p.message();
        } else if (e instanceof NoticeEvent n) {
            return head + "notice " + n.level() + " " + n.text();
        }
        return head + e;
    }
}
