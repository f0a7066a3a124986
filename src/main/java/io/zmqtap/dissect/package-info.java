/**
 * ZMTP byte streams to capture events, with no I/O: the piece every source that sees raw
 * connections shares (the tap now; passive sniffing and pcap files, which hand in reassembled TCP
 * chunks per direction with their capture times).
 *
 * <pre>
 *   client bytes ─┐                         ┌─ HandshakeEvent, ConnectionEvent (OPENED/CLOSED)
 *                 ├─ ConnectionDissector ───┼─ MessageEvent (every frame, seq, client identity)
 *   server bytes ─┘   (ZmtpDecoder × 2)     └─ CommandEvent, ProtocolErrorEvent, NoticeEvent (gaps)
 * </pre>
 *
 * <p>A {@link io.zmqtap.dissect.Dissector} holds what one capture's connections share (where
 * events go, how many bytes of each frame to keep, counters, the numbering of messages); each
 * connection gets a {@link io.zmqtap.dissect.ConnectionDissector}:
 * <pre>{@code
 * Dissector dissector = new Dissector(sink::accept);
 * ConnectionDissector c1 = dissector.connection("capture.pcap", "c1", "10.0.0.7:53122", "10.0.0.9:5555");
 * c1.client(chunk, capturedAt);  // in capture order, both directions
 * c1.server(chunk, capturedAt);
 * c1.close(lastPacketAt);
 * }</pre>
 *
 * <p>Imports only {@code io.zmqtap.zmtp} (the decoder) and {@code io.zmqtap.event} (the model).
 */
package io.zmqtap.dissect;
