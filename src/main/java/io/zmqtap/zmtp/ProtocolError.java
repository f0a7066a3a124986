package io.zmqtap.zmtp;

/**
 * Why a stream could not be decoded any further.
 *
 * <p>Example: {@code ProtocolError[offset=0, message=bad greeting signature at offset 0: expected
 * 0xff, got 0x47]}
 *
 * @param offset stream offset of the offending byte (bytes from the start of this direction)
 * @param message one sentence naming the problem, the offset and what was expected vs. found
 */
public record ProtocolError(long offset, String message) {}
