package io.zmqtap.zmtp;

/**
 * Where the parts of a {@link ZmtpDecoder} ({@link GreetingReader}, {@link FrameReader},
 * {@link MessageAssembler}) report input that breaks the protocol. The decoder reports the first
 * failure to its listener and decodes nothing after it.
 *
 * <p>Usage: {@code failure.fail(9, "bad greeting signature at offset 9: expected 0x7f, got 0x00")}
 */
interface ProtocolFailure {
    /** @param at stream offset of the offending byte; {@code message} names it too */
    void fail(long at, String message);

    /** The stream ended at {@code at} before {@code what} was complete; {@code got} counts what came (0: nothing). */
    default void endedEarly(long at, String what, String expected, long got) {
        String gotText = got == 0 ? "end of stream" : got + " of them";
        fail(at, "stream ended mid-" + what + " at offset " + at + ": expected " + expected + ", got " + gotText);
    }
}
