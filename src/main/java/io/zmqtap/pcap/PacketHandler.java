package io.zmqtap.pcap;

/**
 * Receives each packet of a capture file, in file order. The packet is a reused view: it and its
 * {@link CapturedPacket#data() data} are valid only until this call returns.
 */
@FunctionalInterface
public interface PacketHandler {
    void packet(CapturedPacket packet);
}
