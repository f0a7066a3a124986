#!/usr/bin/python3
"""Writes a large pcap of small ZeroMQ messages for measuring `zmqtap read` (and `tshark -r`).

    /usr/bin/python3 src/bench/resources/io/zmqtap/bench/make_pcap.py /tmp/big.pcap 1024

makes about 1024 MB: REQ/REP conversations over Ethernet/IPv4/TCP on 127.0.0.1, each a SYN
handshake, both ZMTP 3.1 greetings and READYs, 200 requests of 16 B and their replies, and the
FINs; 200 conversations run interleaved at a time, so the reassembly holds many connections.
Checksums are left zero (neither reader checks them). The 200 conversations started run to their
end, so the smallest file is about 7 MB.

    /usr/bin/python3 make_pcap.py /tmp/big256.pcap 1024 --payload 256

makes the same with 256 B requests and replies (the counter padded with dots; from 256 B on, in
ZMTP long frames). The default, 16 B, writes exactly what earlier versions of this script wrote.
"""
import argparse
import struct
import sys

ETH = b"\0" * 12 + b"\x08\x00"
LOCAL = bytes([127, 0, 0, 1])


def greeting(as_server):
    g = bytearray(64)
    g[0], g[9], g[10], g[11] = 0xFF, 0x7F, 3, 1
    g[12:16] = b"NULL"
    g[32] = 1 if as_server else 0
    return bytes(g)


def ready(socket_type):
    body = bytes([5]) + b"READY" + bytes([11]) + b"Socket-Type" + struct.pack(">I", len(socket_type)) + socket_type
    return bytes([0x04, len(body)]) + body


def message(payload):
    if len(payload) > 255:  # a long frame: 8-byte size
        return b"\x01\x00" + b"\x02" + struct.pack(">Q", len(payload)) + payload  # ["", payload]
    return b"\x01\x00" + bytes([0x00, len(payload)]) + payload  # ["", payload]


def body(i, size):
    """'request 00000042' cut or padded with dots to size bytes."""
    return (b"request %08d" % i).ljust(size, b".")[:size]


class Conversation:
    def __init__(self, n, requests, size):
        self.cport = 20000 + n % 40000
        self.sport = 5555
        self.cseq = 1000 + n
        self.sseq = 900000 + n
        self.steps = [("c", b"", 0x02), ("s", b"", 0x12), ("c", b"", 0x10),
                      ("c", greeting(False), 0x18), ("s", greeting(False), 0x18),
                      ("c", ready(b"REQ"), 0x18), ("s", ready(b"REP"), 0x18)]
        for i in range(requests):
            payload = body(i, size)
            self.steps.append(("c", message(payload), 0x18))
            self.steps.append(("s", message(payload.replace(b"request", b"reply  ")), 0x18))
        self.steps += [("c", b"", 0x11), ("s", b"", 0x11), ("c", b"", 0x10)]
        self.at = 0

    def next_packet(self):
        side, payload, flags = self.steps[self.at]
        self.at += 1
        client = side == "c"
        sport, dport = (self.cport, self.sport) if client else (self.sport, self.cport)
        seq, ack = (self.cseq, self.sseq) if client else (self.sseq, self.cseq)
        tcp = struct.pack(">HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0)
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + 20 + len(payload), 0, 0x4000, 64, 6, 0, LOCAL, LOCAL)
        step = len(payload) + (1 if flags & 0x03 else 0)  # SYN and FIN take a sequence number
        if client:
            self.cseq += step
        else:
            self.sseq += step
        return ETH + ip + tcp + payload

    def done(self):
        return self.at == len(self.steps)


def main(path, megabytes, size=16):
    limit = megabytes * 1024 * 1024
    written, n, t = 24, 0, 1_700_000_000 * 1_000_000
    live = []
    with open(path, "wb", buffering=1 << 22) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        while written < limit or live:
            while written < limit and len(live) < 200:
                live.append(Conversation(n, 200, size))
                n += 1
            for c in list(live):
                packet = c.next_packet()
                t += 7
                f.write(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(packet), len(packet)) + packet)
                written += 16 + len(packet)
                if c.done():
                    live.remove(c)
    print("%s: %d MB, %d conversations" % (path, written // (1024 * 1024), n))


def arguments(argv):
    parser = argparse.ArgumentParser(description="Write a large pcap of small ZeroMQ messages.")
    parser.add_argument("out", metavar="OUT.pcap")
    parser.add_argument("size_mb", metavar="SIZE_MB", type=int, nargs="?", default=1024,
                        help="about how many MB to write (default 1024)")
    parser.add_argument("--payload", metavar="BYTES", type=int, default=16,
                        help="bytes per request and reply (default 16; 1 to 65000)")
    args = parser.parse_args(argv)
    if not 1 <= args.payload <= 65000:  # one TCP segment in one IPv4 packet
        parser.error("--payload %d: expected 1 to 65000 bytes" % args.payload)
    if args.size_mb < 1:
        parser.error("SIZE_MB %d: expected at least 1" % args.size_mb)
    return args


if __name__ == "__main__":
    a = arguments(sys.argv[1:])
    main(a.out, a.size_mb, a.payload)
