package io.zmqtap.zmtp;

import io.zmqtap.event.Frame;
import java.util.List;

/**
 * Receives what a {@link ZmtpDecoder} understood, in wire order, on the thread that calls
 * {@code feed}.
 *
 * <p>Usage: {@code new ZmtpDecoder(new ZmtpListener() { ... }).feed(buffer)}
 */
public interface ZmtpListener {
    /** The peer's greeting (for ZMTP/2.0 and 1.0 a greeting synthesised from what they send). */
    void greeting(Greeting greeting);

    /** A command frame (or a 3.0 subscription data frame on a SUB/XSUB connection). */
    void command(ZmtpCommand command);

    /** One complete multipart message: its data frames, in order. The list is not modified later. */
    void message(List<Frame> frames);

    /** The stream broke the protocol; reported once, after which the decoder ignores its input. */
    void protocolError(ProtocolError error);
}
