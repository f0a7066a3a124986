package io.zmqtap.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.zmtp.FrameScanner;
import io.zmqtap.zmtp.ZmtpEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import zmq.Msg;

/**
 * A capture message made the three ways zmqtap makes one: {@link CaptureFrames#encode} (events), and
 * the proxy's two paths from a message's ZMTP bytes: JeroMQ frames ({@code split}, as a capture
 * socket sends them) and ZMTP bytes ({@code encodeHead} then the forwarded frames, as the wire
 * engine's publisher writes them). All three must give the same frames.
 */
final class CaptureEncodings {
    private CaptureEncodings() {}

    /** The frames of {@code event}'s capture message, checked to be the same all three ways. */
    static List<byte[]> encode(CaptureFrames frames, CaptureEvent event, long dropped) {
        List<byte[]> fromEvent = frames.encode(event, dropped);
        if (event instanceof MessageEvent m) {
            // an incoming routed message: the ROUTER's routing id is not in the wire bytes
            boolean apart = m.routed() && m.direction() == Direction.IN;
            List<byte[]> forwarded = fromEvent.subList(head(frames), fromEvent.size());
            byte[] routingId = apart ? forwarded.get(0) : null;
            byte[] wire = zmtp(apart ? forwarded.subList(1, forwarded.size()) : forwarded);
            byte[] metadata = frames.enveloped() ? fromEvent.get(1) : null;
            assertThat(viaMsgs(frames, m.direction(), metadata, routingId, wire)).as("as JeroMQ frames")
                    .containsExactlyElementsOf(fromEvent);
            assertThat(viaBytes(frames, m.direction(), metadata, routingId, wire)).as("as ZMTP bytes")
                    .containsExactlyElementsOf(fromEvent);
        }
        return fromEvent;
    }

    private static int head(CaptureFrames frames) {
        return frames.enveloped() ? 2 : frames.prefixed() ? 1 : 0;
    }

    /** What a capture socket sends: prefix, metadata, then {@code split}'s frames. */
    private static List<byte[]> viaMsgs(CaptureFrames frames, Direction d, byte[] metadata, byte[] routingId,
                                        byte[] wire) {
        List<byte[]> out = new ArrayList<>();
        if (frames.prefixed()) {
            out.add(frames.prefix(d));
        }
        if (metadata != null) {
            out.add(metadata);
        }
        for (Msg m : CaptureFrames.split(routingId, ByteBuffer.wrap(wire), 0, wire.length)) {
            out.add(m.data());
        }
        return out;
    }

    /** What the wire engine's publisher writes: the head, then the message's own ZMTP bytes; read back. */
    private static List<byte[]> viaBytes(CaptureFrames frames, Direction d, byte[] metadata, byte[] routingId,
                                         byte[] wire) {
        ByteBuffer b = ByteBuffer.allocate(frames.headSize(d, metadata, routingId) + wire.length);
        frames.encodeHead(b, d, metadata, routingId);
        b.put(wire).flip();
        List<byte[]> out = new ArrayList<>();
        for (int at = 0; at < b.limit(); ) {
            int body = FrameScanner.bodyAt(b, at);
            byte[] f = new byte[FrameScanner.sizeAt(b, at)];
            b.get(body, f);
            boolean last = body + f.length == b.limit();
            assertThat((b.get(at) & ZmtpEncoder.MORE) == 0).as("MORE on every frame but the last").isEqualTo(last);
            out.add(f);
            at = body + f.length;
        }
        return out;
    }

    /** Frames as ZMTP bytes, MORE on all but the last. */
    static byte[] zmtp(List<byte[]> frames) {
        int size = 0;
        for (byte[] f : frames) {
            size += CaptureFrames.frameSize(f.length);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (int i = 0; i < frames.size(); i++) {
            CaptureFrames.frame(b, frames.get(i), i < frames.size() - 1);
        }
        return b.array();
    }
}
