package io.zmqtap.pcap;

import static io.zmqtap.pcap.CaptureFileException.bytes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The pcapng format: a sequence of blocks, each section in its writer's byte order.
 *
 * <pre>
 * every block:  type 4 | total length 4 | body ... | total length 4     (lengths multiple of 4)
 * 0x0a0d0d0a Section Header:      byte-order magic 1a2b3c4d | major 2 | minor 2 | section length 8 | options
 * 0x00000001 Interface Description: link type 2 | reserved 2 | snaplen 4 | options (if_tsresol 9, if_tsoffset 14)
 * 0x00000006 Enhanced Packet:     interface 4 | timestamp high 4 | low 4 | captured 4 | original 4 | data, padded | options
 * 0x00000003 Simple Packet:       original 4 | data, padded (interface 0, no timestamp)
 * 0x00000002 Packet (obsolete):   interface 2 | drops 2 | timestamp high 4 | low 4 | captured 4 | original 4 | data
 * options:      code 2 | length 2 | value, padded to 4 ... | 0 0 (end of options)
 * </pre>
 *
 * Every other block type (name resolution, statistics, journal, custom) is skipped unread.
 */
final class PcapngBlocks implements RecordReader {
    static final int SECTION_HEADER = 0x0a0d0d0a;
    static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
    static final int INTERFACE_DESCRIPTION = 1;
    static final int PACKET = 2;
    static final int SIMPLE_PACKET = 3;
    static final int ENHANCED_PACKET = 6;
    static final int OPTION_TSRESOL = 9;
    static final int OPTION_TSOFFSET = 14;
    /** The most interfaces one section may describe: a corrupt file must not fill memory with them. */
    static final int MAX_INTERFACES = 65_536;

    private final CaptureInput input;
    private final List<PcapngInterface> interfaces = new ArrayList<>();

    PcapngBlocks(CaptureInput input) {
        this.input = input;
        input.format("pcapng");
    }

    @Override
    public boolean next(CapturedPacket packet) throws IOException {
        while (true) {
            long at = input.offset();
            if (!input.fill(8)) {
                if (input.atEnd()) {
                    return false;
                }
                throw input.truncated("block", at, 8);
            }
            ByteBuffer f = input.fields();
            int type = f.getInt(input.start()); // the section header's type reads the same in both orders
            if (type == SECTION_HEADER) {
                readSectionHeader(at);
                continue;
            }
            long length = f.getInt(input.start() + 4) & 0xffffffffL;
            if (length < 12 || length % 4 != 0) {
                throw input.corrupt(blockName(type), at, "has length " + bytes(length) + " (expected a multiple of 4, at least 12)");
            }
            if (type != ENHANCED_PACKET && type != SIMPLE_PACKET && type != PACKET && type != INTERFACE_DESCRIPTION) {
                skipBlock(type, at, length);
                continue;
            }
            if (length > PcapRecords.MAX_RECORD) {
                throw input.corrupt(blockName(type), at, "has an impossible length of " + bytes(length) + " bytes (at most " + bytes(PcapRecords.MAX_RECORD) + " expected)");
            }
            int size = (int) length;
            if (!input.fill(size)) {
                throw input.truncated(blockName(type), at, size);
            }
            int p = input.start();
            checkTrailer(type, at, p, size);
            if (type == INTERFACE_DESCRIPTION) {
                readInterface(at, p, size);
                input.advance(size);
                continue;
            }
            readPacket(packet, type, at, p, size);
            input.advance(size);
            return true;
        }
    }

    private void readSectionHeader(long at) throws IOException {
        if (!input.fill(12)) {
            throw input.truncated("Section Header Block", at, 12);
        }
        int p = input.start();
        ByteBuffer f = input.fields();
        int magic = f.order(ByteOrder.BIG_ENDIAN).getInt(p + 8);
        if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            input.order(ByteOrder.LITTLE_ENDIAN);
        } else if (magic != BYTE_ORDER_MAGIC) {
            throw input.corrupt("Section Header Block", at, "has byte-order magic 0x" + Integer.toHexString(magic) + " (expected 0x1a2b3c4d in either byte order)");
        }
        long length = f.getInt(p + 4) & 0xffffffffL;
        if (length < 28 || length % 4 != 0 || length > PcapRecords.MAX_RECORD) {
            throw input.corrupt("Section Header Block", at, "has length " + bytes(length) + " (expected a multiple of 4, from 28 to " + bytes(PcapRecords.MAX_RECORD) + ")");
        }
        int size = (int) length;
        if (!input.fill(size)) {
            throw input.truncated("Section Header Block", at, size);
        }
        p = input.start();
        f = input.fields(); // filling may have grown the buffer
        checkTrailer(SECTION_HEADER, at, p, size);
        int major = f.getShort(p + 12) & 0xffff;
        if (major != 1) {
            throw input.corrupt("Section Header Block", at, "has version " + major + "." + (f.getShort(p + 14) & 0xffff) + " (expected 1.x)");
        }
        interfaces.clear(); // interface numbers start again in each section
        input.advance(size);
    }

    private void readInterface(long at, int p, int size) {
        if (size < 20) {
            throw input.corrupt("Interface Description Block", at, "has length " + size + " (expected at least 20)");
        }
        if (interfaces.size() == MAX_INTERFACES) {
            throw input.corrupt("Interface Description Block", at, "describes more than " + bytes(MAX_INTERFACES) + " interfaces in one section");
        }
        ByteBuffer f = input.fields();
        int linkType = f.getShort(p + 8) & 0xffff;
        long snaplen = f.getInt(p + 12) & 0xffffffffL;
        int tsresol = 6;
        long tsoffset = 0;
        int q = p + 16;
        int end = p + size - 4;
        while (q + 4 <= end) {
            int code = f.getShort(q) & 0xffff;
            int length = f.getShort(q + 2) & 0xffff;
            if (code == 0) {
                break;
            }
            if (q + 4 + length > end) {
                throw input.corrupt("Interface Description Block", at, "has option " + code + " of " + length + " bytes running past the block's end");
            }
            if (code == OPTION_TSRESOL && length >= 1) {
                tsresol = f.get(q + 4) & 0xff;
                if (!PcapngInterface.supportsResolution(tsresol)) {
                    throw input.corrupt("Interface Description Block", at, "has an unusable if_tsresol 0x" + Integer.toHexString(tsresol) + " (expected 10^-0..10^-18 or 2^-0..2^-63 seconds)");
                }
            } else if (code == OPTION_TSOFFSET && length >= 8) {
                tsoffset = f.getLong(q + 4);
            }
            q += 4 + ((length + 3) & ~3);
        }
        interfaces.add(new PcapngInterface(linkType, snaplen, tsresol, tsoffset));
    }

    private void readPacket(CapturedPacket packet, int type, long at, int p, int size) {
        ByteBuffer f = input.fields();
        int interfaceId;
        long captured;
        long original;
        int data;
        long timestamp = 0;
        if (type == SIMPLE_PACKET) {
            interfaceId = 0;
            original = f.getInt(p + 8) & 0xffffffffL;
            data = 12;
            captured = Math.min(original, size - 16);
        } else {
            interfaceId = type == PACKET ? f.getShort(p + 8) & 0xffff : f.getInt(p + 8);
            timestamp = (f.getInt(p + 12) & 0xffffffffL) << 32 | (f.getInt(p + 16) & 0xffffffffL);
            captured = f.getInt(p + 20) & 0xffffffffL;
            original = f.getInt(p + 24) & 0xffffffffL;
            data = 28;
        }
        String name = blockName(type);
        if (size < data + 4) {
            throw input.corrupt(name, at, "has length " + size + " (expected at least " + (data + 4) + ")");
        }
        if (interfaceId < 0 || interfaceId >= interfaces.size()) {
            throw input.corrupt(name, at, "names interface " + Integer.toUnsignedString(interfaceId) + ", but its section describes " + interfaces.size());
        }
        PcapngInterface link = interfaces.get(interfaceId);
        if (type == SIMPLE_PACKET && link.snaplen > 0) {
            captured = Math.min(captured, link.snaplen);
        }
        if (captured > size - data - 4) {
            throw input.corrupt(name, at, "captures " + bytes(captured) + " bytes, more than its length of " + bytes(size) + " holds");
        }
        packet.linkType = link.linkType;
        if (type == SIMPLE_PACKET) {
            packet.time(0, 0); // a simple packet has no timestamp
        } else if (!link.stamp(packet, timestamp)) {
            throw input.corrupt(name, at, "has a timestamp outside the years 1 to 9999 (" + Long.toUnsignedString(timestamp)
                    + " units of its interface's if_tsresol, with its if_tsoffset)");
        }
        packet.data = input.view(p + data, (int) captured);
        packet.originalLength = (int) Math.min(original, Integer.MAX_VALUE);
        packet.fileOffset = at;
        packet.interfaceId = interfaceId;
    }

    private void checkTrailer(int type, long at, int p, int size) {
        long trailer = input.fields().getInt(p + size - 4) & 0xffffffffL;
        if (trailer != size) {
            throw input.corrupt(blockName(type), at, "ends with length " + bytes(trailer) + ", not " + bytes(size));
        }
    }

    /** A block we do not read, whatever its size: streamed past, its trailing length checked. */
    private void skipBlock(int type, long at, long length) throws IOException {
        long skipped = input.skip(length - 4);
        if (skipped < length - 4 || !input.fill(4)) {
            throw input.truncated(blockName(type), at, length);
        }
        long trailer = input.fields().getInt(input.start()) & 0xffffffffL;
        if (trailer != length) {
            throw input.corrupt(blockName(type), at, "ends with length " + bytes(trailer) + ", not " + bytes(length));
        }
        input.advance(4);
    }

    private static String blockName(int type) {
        switch (type) {
            case SECTION_HEADER: return "Section Header Block";
            case INTERFACE_DESCRIPTION: return "Interface Description Block";
            case PACKET: return "Packet Block";
            case SIMPLE_PACKET: return "Simple Packet Block";
            case 4: return "Name Resolution Block";
            case 5: return "Interface Statistics Block";
            case ENHANCED_PACKET: return "Enhanced Packet Block";
            default: return "block of type 0x" + Integer.toHexString(type);
        }
    }
}
