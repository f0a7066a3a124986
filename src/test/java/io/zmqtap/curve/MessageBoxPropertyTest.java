package io.zmqtap.curve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class MessageBoxPropertyTest {
    /** Whatever is sealed, in order, opens to the same flags and body on the other side. */
    @Property(tries = 50)
    void everyFrameSealedOpensUnchanged(@ForAll @Size(max = 8) List<@Size(max = 600) byte[]> frames,
            @ForAll @IntRange(min = 0, max = 3) int flags) throws CurveException {
        CurveSession[] pair = new CurveHandshakeTest().established();
        for (byte[] body : frames) {
            byte[] box = pair[0].sealer().seal(flags, body, 0, body.length);
            assertThat(box.length).isEqualTo(CurveSession.Sealer.sealedSize(body.length));
            CurveSession.Plain p = pair[1].opener().open(box, 0, box.length);
            assertThat(p.flags()).isEqualTo(flags);
            assertThat(p.body()).isEqualTo(body);
        }
    }

    /** A relay cut anywhere gives the same frames as one fed whole. */
    @Property(tries = 30)
    void aRelayFedInPiecesPassesEveryFrame(@ForAll @Size(min = 1, max = 6) List<@Size(max = 400) byte[]> frames,
            @ForAll @IntRange(min = 1, max = 97) int piece) throws CurveException {
        CurveSession[] in = new CurveHandshakeTest().established();
        CurveSession[] out = new CurveHandshakeTest().established();
        ZmtpWriter wire = new ZmtpWriter();
        for (int i = 0; i < frames.size(); i++) {
            int more = i < frames.size() - 1 ? CurveSession.MORE : 0;
            wire.frame(0, in[0].sealer().seal(more, frames.get(i), 0, frames.get(i).length));
        }
        FrameBuffer source = new FrameBuffer(1 << 20);
        source.feed(java.nio.ByteBuffer.wrap(new ZmtpWriter().greeting(3, 1, "CURVE", false).bytes()));
        assertThat(source.greeting()).isNotNull();
        CurveRelay relay = new CurveRelay(source, in[1].opener(), out[0].sealer(), false);
        byte[] bytes = wire.bytes();
        FrameBuffer relayed = new FrameBuffer(1 << 20);
        relayed.feed(java.nio.ByteBuffer.wrap(new ZmtpWriter().greeting(3, 1, "CURVE", false).bytes()));
        relayed.greeting();
        FrameBuffer plain = new FrameBuffer(1 << 20);
        plain.feed(java.nio.ByteBuffer.wrap(new ZmtpWriter().greeting(3, 1, "NULL", false).bytes()));
        plain.greeting();
        for (int at = 0; at < bytes.length; at += piece) {
            CurveRelay.Output o = relay.relay(java.nio.ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)));
            relayed.feed(o.wire());
            plain.feed(o.plain());
        }
        for (int i = 0; i < frames.size(); i++) {
            FrameBuffer.Frame w = relayed.next();
            CurveSession.Plain p = out[1].opener().open(w.body(), 0, w.body().length);
            assertThat(p.body()).isEqualTo(frames.get(i));
            assertThat(p.more()).isEqualTo(i < frames.size() - 1);
            FrameBuffer.Frame f = plain.next();
            assertThat(f.body()).isEqualTo(frames.get(i));
            assertThat(f.more()).isEqualTo(i < frames.size() - 1);
        }
        assertThat(relayed.next()).isNull();
        assertThat(plain.next()).isNull();
    }
}
