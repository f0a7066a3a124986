package io.zmqtap.pcap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes the capture files of the tests: pcap and pcapng, either byte order, gzip. */
final class CaptureFiles {
    private CaptureFiles() {}

    static byte[] gzip(byte[] file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A pcap file; packets longer than the snapshot length are cut, their original length kept. */
    static final class Pcap {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;
        private final int snaplen;
        private final List<Long> offsets = new ArrayList<>();

        Pcap(ByteOrder order, boolean nanos, int snaplen, int linkType) {
            this.order = order;
            this.snaplen = snaplen;
            ByteBuffer h = ByteBuffer.allocate(24).order(order);
            h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen).putInt(linkType);
            out.writeBytes(h.array());
        }

        Pcap(int linkType) {
            this(ByteOrder.LITTLE_ENDIAN, false, 262144, linkType);
        }

        /** {@code fraction}: microseconds or nanoseconds, as the header said. */
        Pcap packet(long seconds, long fraction, byte[] data) {
            int captured = Math.min(data.length, snaplen);
            offsets.add((long) out.size());
            ByteBuffer r = ByteBuffer.allocate(16).order(order);
            r.putInt((int) seconds).putInt((int) fraction).putInt(captured).putInt(data.length);
            out.writeBytes(r.array());
            out.write(data, 0, captured);
            return this;
        }

        Pcap packet(byte[] data) {
            return packet(1_700_000_000L, 123_456, data);
        }

        /** Where each packet record starts. */
        List<Long> offsets() {
            return offsets;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A pcapng file: sections, interfaces and blocks in the order they are added. */
    static final class Pcapng {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<Long> offsets = new ArrayList<>();
        private final List<Integer> snaplens = new ArrayList<>();
        private ByteOrder order;

        Pcapng section(ByteOrder order) {
            this.order = order;
            snaplens.clear();
            ByteBuffer body = body(16).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1);
            return block(0x0a0d0d0a, body);
        }

        /** An interface; {@code tsresol} and {@code tsoffset} are options written when not null. */
        Pcapng interfaceDescription(int linkType, int snaplen, Integer tsresol, Long tsoffset) {
            snaplens.add(snaplen);
            ByteBuffer body = body(8 + 8 + 12 + 8 + 4).putShort((short) linkType).putShort((short) 0).putInt(snaplen);
            if (tsresol != null) {
                body.putShort((short) 9).putShort((short) 1).put((byte) (int) tsresol).put(new byte[3]);
            }
            if (tsoffset != null) {
                body.putShort((short) 14).putShort((short) 8).putLong(tsoffset);
            }
            body.putShort((short) 2).putShort((short) 3).put(new byte[] {'l', 'o', 0, 0}); // if_name
            body.putInt(0); // end of options
            return block(1, body);
        }

        Pcapng enhanced(int interfaceId, long timestamp, byte[] data) {
            int captured = Math.min(data.length, snaplen(interfaceId));
            offsets.add((long) out.size());
            ByteBuffer body = body(20 + pad(captured) + 12)
                    .putInt(interfaceId).putInt((int) (timestamp >>> 32)).putInt((int) timestamp).putInt(captured).putInt(data.length)
                    .put(data, 0, captured).put(new byte[pad(captured) - captured]);
            body.putShort((short) 1).putShort((short) 4).put(new byte[] {'h', 'i', '!', 0}).putInt(0); // opt_comment
            return block(6, body);
        }

        Pcapng simple(byte[] data) {
            int captured = Math.min(data.length, snaplen(0));
            offsets.add((long) out.size());
            ByteBuffer body = body(4 + pad(captured)).putInt(data.length).put(data, 0, captured).put(new byte[pad(captured) - captured]);
            return block(3, body);
        }

        /** The obsolete Packet Block (type 2). */
        Pcapng packet(int interfaceId, long timestamp, byte[] data) {
            offsets.add((long) out.size());
            ByteBuffer body = body(20 + pad(data.length))
                    .putShort((short) interfaceId).putShort((short) 0).putInt((int) (timestamp >>> 32)).putInt((int) timestamp)
                    .putInt(data.length).putInt(data.length).put(data).put(new byte[pad(data.length) - data.length]);
            return block(2, body);
        }

        /** Any other block, e.g. name resolution (4), interface statistics (5), custom (0x40000bad). */
        Pcapng other(int type, int bodyLength) {
            return block(type, body(pad(bodyLength)).put(new byte[pad(bodyLength)]));
        }

        List<Long> offsets() {
            return offsets;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private int snaplen(int interfaceId) {
            int snaplen = interfaceId < snaplens.size() ? snaplens.get(interfaceId) : 0;
            return snaplen == 0 ? Integer.MAX_VALUE : snaplen;
        }

        private ByteBuffer body(int capacity) {
            return ByteBuffer.allocate(capacity).order(order);
        }

        private Pcapng block(int type, ByteBuffer body) {
            int length = 12 + body.position();
            ByteBuffer b = ByteBuffer.allocate(length).order(order);
            b.putInt(type).putInt(length).put(body.array(), 0, body.position()).putInt(length);
            out.writeBytes(b.array());
            return this;
        }

        private static int pad(int n) {
            return (n + 3) & ~3;
        }
    }
}
