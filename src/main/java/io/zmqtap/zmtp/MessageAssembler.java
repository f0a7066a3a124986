package io.zmqtap.zmtp;

import io.zmqtap.capture.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the frames a {@link FrameReader} reads into what the listener hears: commands, multipart
 * messages, the identity frame of a 2.0/1.0 peer (as a READY), a 3.0 subscription data frame (as
 * a SUBSCRIBE or CANCEL).
 *
 * <p>Usage: {@code if (!assembler.frame(flags, body, size, bodyOffset)) { stop decoding }}
 */
final class MessageAssembler {
    private final ZmtpListener listener;
    private final ProtocolFailure failure;

    private String mechanism = ZmtpProtocol.NULL;
    /** ZMTP/1.0 and 2.0 send the peer's identity as the first frame; 3.x in READY. */
    private boolean identityFrameNext;
    private String legacySocketType;
    private boolean subscriber;
    private List<Frame> parts = new ArrayList<>();

    MessageAssembler(ZmtpListener listener, ProtocolFailure failure) {
        this.listener = listener;
        this.failure = failure;
    }

    /** The greeting has been read: sets what the frames after it mean. */
    void start(Greeting greeting, String legacySocketType) {
        mechanism = greeting.mechanism();
        identityFrameNext = greeting.isLegacy();
        this.legacySocketType = legacySocketType;
        subscriber = ZmtpProtocol.isSubscriber(legacySocketType);
    }

    /** True between the first frame of a multipart message and its last. */
    boolean inMessage() {
        return !parts.isEmpty();
    }

    /**
     * One whole frame.
     *
     * @param body its kept bytes
     * @param size its true size
     * @param bodyOffset stream offset of its body, for the offsets of errors inside a command
     * @return false after reporting a malformed command
     */
    boolean frame(int flags, byte[] body, long size, long bodyOffset) {
        if ((flags & ZmtpProtocol.FLAG_COMMAND) != 0) {
            return command(body, size, bodyOffset);
        }
        Frame frame = new Frame(body, size);
        if (identityFrameNext) {
            identityFrameNext = false;
            identity(frame);
            return true;
        }
        if ((flags & ZmtpProtocol.FLAG_MORE) != 0) {
            parts.add(frame);
        } else if (parts.isEmpty()) {
            if (!subscription(body)) {
                listener.message(List.of(frame));
            }
        } else {
            parts.add(frame);
            List<Frame> message = Collections.unmodifiableList(parts);
            parts = new ArrayList<>();
            listener.message(message);
        }
        return true;
    }

    /** The identity frame of a ZMTP/1.0 or 2.0 peer, reported as the READY a 3.x peer would send. */
    private void identity(Frame frame) {
        Map<String, byte[]> properties = new LinkedHashMap<>();
        if (legacySocketType != null) {
            properties.put(ZmtpProtocol.SOCKET_TYPE, legacySocketType.getBytes(StandardCharsets.US_ASCII));
        }
        properties.put(ZmtpProtocol.IDENTITY, frame.data());
        listener.command(new ZmtpCommand.Ready(properties));
    }

    /** A single data frame from a SUB/XSUB peer that starts 0x01 or 0x00 (ZMTP 3.0 and earlier). */
    private boolean subscription(byte[] body) {
        if (!subscriber || body.length == 0) {
            return false;
        }
        int first = body[0];
        if (first != ZmtpProtocol.SUBSCRIBE_BYTE && first != ZmtpProtocol.CANCEL_BYTE) {
            return false;
        }
        byte[] topic = Arrays.copyOfRange(body, 1, body.length);
        listener.command(first == ZmtpProtocol.SUBSCRIBE_BYTE
                ? new ZmtpCommand.Subscribe(topic, true)
                : new ZmtpCommand.Cancel(topic, true));
        return true;
    }

    private boolean command(byte[] body, long size, long bodyOffset) {
        ZmtpCommand command;
        try {
            command = CommandReader.read(body, size, mechanism);
        } catch (CommandReader.MalformedCommand e) {
            long at = bodyOffset + e.at;
            failure.fail(at, e.what + " at offset " + at + ": " + e.detail);
            return false;
        }
        String socketType = null;
        if (command instanceof ZmtpCommand.Ready r) {
            socketType = r.socketType();
        } else if (command instanceof ZmtpCommand.Initiate i) {
            socketType = i.socketType();
        }
        if (socketType != null) {
            subscriber = ZmtpProtocol.isSubscriber(socketType);
        }
        listener.command(command);
        return true;
    }
}
