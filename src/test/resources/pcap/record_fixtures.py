#!/usr/bin/python3
"""Records the pcap fixtures of zmqtap's passive-sniffing tests: real libzmq peers (Debian's
python3-zmq) talking on loopback, captured by tcpdump.

Run as root (tcpdump needs CAP_NET_RAW), from the repository's root:

    sudo /usr/bin/python3 src/test/resources/pcap/record_fixtures.py

Needs tcpdump (apt-get install tcpdump) and python3-zmq. Writes into the directory of this script:

    reqrep.pcap             REQ/REP, no identity: 3 requests ("0".."2"), replies doubled
    reqrep-identity.pcap    the same with the client identity client_a
    pubsub.pcap             a SUB subscribing to "weather", a PUB sending 3 messages
    dealer-router.pcap      two DEALERs with request ids in their envelopes, answered out of order,
                            one request never answered
    midstream.pcap          REQ/REP whose capture starts after the handshake and the first exchange
    gap.pcap                reqrep.pcap without the packet carrying the second request
    truncated.pcap          reqrep.pcap cut in the middle of a packet record
    reqrep.pcapng           reqrep.pcap as pcapng (one section, one interface)

Every port is ephemeral; the tests find the streams by their ZMTP greeting (or are given the port).
"""
import os
import signal
import struct
import subprocess
import sys
import time

import zmq

HERE = os.path.dirname(os.path.abspath(__file__))


class Capture:
    """tcpdump on lo for one TCP port, writing every packet as it comes (--immediate-mode: without it
    the packets still in the kernel ring when tcpdump is stopped are counted but never written)."""

    def __init__(self, name, port):
        self.path = os.path.join(HERE, name)
        self.proc = subprocess.Popen(
            ["tcpdump", "-i", "lo", "--immediate-mode", "-B", "16384", "-U", "-s", "0", "-w", self.path, "tcp port %d" % port],
            stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()  # "tcpdump: listening on lo, ..." once it captures
        if "listening" not in line:
            sys.exit("tcpdump did not start: " + line)
        time.sleep(1)  # "listening" comes before the capture is live on every kernel

    def stop(self):
        time.sleep(1)  # the last packets reach the capture
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=10)
        report = self.proc.stderr.read()
        # a busy host can make the kernel drop packets before tcpdump sees them: such a file has gaps
        # that are not the ones the tests mean to have, so record it again on a quieter host
        if "\n0 packets dropped by kernel" not in "\n" + report:
            sys.exit("%s: the kernel dropped packets (%s); run again on a quieter host"
                     % (os.path.basename(self.path), report.strip().replace("\n", ", ")))


def req_rep(name, identity=None, start_capture_after=0):
    ctx = zmq.Context()
    rep = ctx.socket(zmq.REP)
    port = rep.bind_to_random_port("tcp://127.0.0.1")
    req = ctx.socket(zmq.REQ)
    if identity:
        req.setsockopt(zmq.IDENTITY, identity)
    capture = None
    if start_capture_after == 0:
        capture = Capture(name, port)
    req.connect("tcp://127.0.0.1:%d" % port)
    for i in range(3 + start_capture_after):
        if i == start_capture_after and capture is None:
            capture = Capture(name, port)
        req.send_string(str(i))
        rep.send_string(str(int(rep.recv()) * 2))
        req.recv()
    req.close(linger=1000)
    rep.close(linger=1000)
    ctx.term()
    capture.stop()


def pub_sub(name):
    ctx = zmq.Context()
    pub = ctx.socket(zmq.PUB)
    port = pub.bind_to_random_port("tcp://127.0.0.1")
    capture = Capture(name, port)
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.SUBSCRIBE, b"weather")
    sub.connect("tcp://127.0.0.1:%d" % port)
    sub.RCVTIMEO = 5000
    while True:  # a PUB drops until the subscription arrives
        pub.send_string("weather sunny")
        try:
            sub.recv(zmq.NOBLOCK)
            break
        except zmq.Again:
            time.sleep(0.05)
    for i in range(3):
        pub.send_string("weather %d" % i)
        sub.recv()
    sub.close(linger=1000)
    pub.close(linger=1000)
    ctx.term()
    capture.stop()


def dealer_router(name):
    ctx = zmq.Context()
    router = ctx.socket(zmq.ROUTER)
    port = router.bind_to_random_port("tcp://127.0.0.1")
    capture = Capture(name, port)
    a = ctx.socket(zmq.DEALER)
    a.setsockopt(zmq.IDENTITY, b"client_a")
    b = ctx.socket(zmq.DEALER)
    b.setsockopt(zmq.IDENTITY, b"client_b")
    for s in (a, b):
        s.connect("tcp://127.0.0.1:%d" % port)
        s.RCVTIMEO = 5000
    a.send_multipart([b"r1", b"", b"one"])
    b.send_multipart([b"r3", b"", b"three"])
    a.send_multipart([b"r2", b"", b"two"])
    got = {}
    for _ in range(3):
        m = router.recv_multipart()
        got[m[1]] = m
    for rid in (b"r3", b"r2"):  # out of order; r1 never answered
        m = got[rid]
        router.send_multipart(m[:-1] + [m[-1].upper()])
    b.recv_multipart()
    a.recv_multipart()
    for s in (a, b, router):
        s.close(linger=1000)
    ctx.term()
    capture.stop()


# ---- derived files: pure byte surgery on pcap records ----

def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    header, records, at = data[:24], [], 24
    while at + 16 <= len(data):
        incl = struct.unpack("<I", data[at + 8:at + 12])[0]
        records.append(data[at:at + 16 + incl])
        at += 16 + incl
    return header, records


def payload_length(record):
    """TCP payload bytes of an Ethernet/IPv4 (DLT 1) record from lo."""
    ip = record[16 + 14:]
    ihl = (ip[0] & 0x0F) * 4
    total = struct.unpack(">H", ip[2:4])[0]
    tcp = ip[ihl:]
    doff = (tcp[12] >> 4) * 4
    return total - ihl - doff


def derive():
    header, records = read_pcap(os.path.join(HERE, "reqrep.pcap"))
    # after the handshakes each request and reply is one 5-byte segment ([""] + ["0"]: 2 + 3 bytes),
    # alternating request, reply; the third such segment is the second request
    messages = [i for i, r in enumerate(records) if payload_length(r) == 5]
    if len(messages) < 6:
        sys.exit("reqrep.pcap: expected 6 segments of one message each, found %d" % len(messages))
    dropped = messages[2]
    with open(os.path.join(HERE, "gap.pcap"), "wb") as f:
        f.write(header + b"".join(r for i, r in enumerate(records) if i != dropped))
    whole = header + b"".join(records)
    cut = len(header) + sum(len(r) for r in records[:len(records) // 2]) + 20
    with open(os.path.join(HERE, "truncated.pcap"), "wb") as f:
        f.write(whole[:cut])
    # pcapng: SHB, IDB (link type from the pcap header), one EPB per record
    linktype, snaplen = struct.unpack("<I", header[20:24])[0], struct.unpack("<I", header[16:20])[0]

    def block(kind, body):
        body += b"\0" * (-len(body) % 4)
        length = 12 + len(body)
        return struct.pack("<II", kind, length) + body + struct.pack("<I", length)

    out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += block(1, struct.pack("<HHI", linktype, 0, snaplen))
    for r in records:
        sec, usec, incl, orig = struct.unpack("<IIII", r[:16])
        ts = sec * 1000000 + usec  # if_tsresol defaults to microseconds
        out += block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, incl, orig) + r[16:])
    with open(os.path.join(HERE, "reqrep.pcapng"), "wb") as f:
        f.write(out)


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("run as root: tcpdump needs CAP_NET_RAW")
    req_rep("reqrep.pcap")
    req_rep("reqrep-identity.pcap", identity=b"client_a")
    req_rep("midstream.pcap", start_capture_after=2)
    pub_sub("pubsub.pcap")
    dealer_router("dealer-router.pcap")
    derive()
    for name in sorted(os.listdir(HERE)):
        if name.endswith((".pcap", ".pcapng")):
            print("%-24s %6d bytes" % (name, os.path.getsize(os.path.join(HERE, name))))
