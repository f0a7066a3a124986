package io.zmqtap.pcap;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * One TCP segment as a capture saw it, for {@link TcpReassembler}.
 *
 * <p>A stub until the capture-file reader's own version is merged: the reassembler uses only these
 * accessors. The payload is a read-only view valid during the call that hands the segment over;
 * its position may be moved by the reassembler.
 *
 * <p>Usage: {@code reassembler.segment(new TcpSegment(t, client, server, seq, ack, false, false, false, true, payload, payload.remaining(), 0))}
 *
 * @param time when the capture saw it
 * @param source who sent it
 * @param destination who it was sent to
 * @param seq its sequence number (unsigned 32-bit)
 * @param ack its acknowledgement number (unsigned 32-bit), meaningful with {@code ackFlag}
 * @param syn SYN flag
 * @param fin FIN flag
 * @param rst RST flag
 * @param ackFlag ACK flag
 * @param payload the captured payload bytes (fewer than {@code payloadLength} when the snap length cut them)
 * @param payloadLength the payload's true length, from the IP and TCP headers
 * @param fileOffset where the packet starts in the capture file, for error messages
 */
public record TcpSegment(
        Instant time,
        InetSocketAddress source,
        InetSocketAddress destination,
        long seq,
        long ack,
        boolean syn,
        boolean fin,
        boolean rst,
        boolean ackFlag,
        ByteBuffer payload,
        int payloadLength,
        long fileOffset) {}
