package io.zmqtap.zmtp;

import io.zmqtap.event.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the frames a {@link FrameReader} reads into what the listener hears: commands, multipart
 * messages, the identity frame of a 2.0/1.0 peer (as a READY), a 3.0 subscription data frame (as
 * a SUBSCRIBE or CANCEL) and a CURVE MESSAGE box sent as a data frame (as a CURVE command).
 *
 * <p>One message keeps at most {@link #MAX_FRAMES} frames and {@code max(maxFrame, 16 MiB)} bytes of
 * their data: frames past the bytes keep their size only (shown truncated, as {@code --snap} does),
 * and a frame past the count is reported as a protocol error that stops decoding the direction. A
 * peer that flags MORE on frame after frame would otherwise make it hold every frame it ever sends.
 *
 * <p>Usage: {@code if (!assembler.frame(flags, body, size, bodyOffset)) { stop decoding }}
 */
final class MessageAssembler {
    /**
     * libzmq 4.3 sends each CURVE-encrypted message as a data frame (flags 0x00, MORE sealed in the
     * box) that starts with the MESSAGE command's name; its body is no data the peer sent.
     */
    private static final byte[] CURVE_MESSAGE = {7, 'M', 'E', 'S', 'S', 'A', 'G', 'E'};
    static final int CURVE_MESSAGE_SIZE = CURVE_MESSAGE.length;
    private static final byte[] EMPTY = new byte[0];
    /** Frames one message may have; libzmq sets no such limit, but no application sends this many. */
    static final int MAX_FRAMES = 65_536;
    /** Data bytes one message keeps, at least: {@code max(maxFrame, this)}. */
    static final long MIN_MESSAGE_KEPT = 16L << 20;

    private final ZmtpListener listener;
    private final ProtocolFailure failure;
    private final int maxFrame;
    private final long maxMessageKept;
    /** Data bytes the frames of the message in progress keep. */
    private long partsKept;

    private String mechanism = ZmtpProtocol.NULL;
    private boolean curve;
    /** ZMTP/1.0 and 2.0 send the peer's identity as the first frame; 3.x in READY. */
    private boolean identityFrameNext;
    private String legacySocketType;
    private boolean subscriber;
    /** Joined inside a message: its remaining data frames are dropped, up to the one without MORE. */
    private boolean skipping;
    /** The first frame of a message in progress, or null; the frames after it (but the last) are in {@code parts}. */
    private Frame first;
    private List<Frame> parts = new ArrayList<>();

    /** @param maxFrame data bytes reported per frame (a CURVE data frame is read a little further, to name it) */
    MessageAssembler(ZmtpListener listener, ProtocolFailure failure, int maxFrame) {
        this.listener = listener;
        this.failure = failure;
        this.maxFrame = maxFrame;
        this.maxMessageKept = Math.max(maxFrame, MIN_MESSAGE_KEPT);
    }

    /** The greeting has been read: sets what the frames after it mean. */
    void start(Greeting greeting, String legacySocketType) {
        mechanism = greeting.mechanism();
        curve = ZmtpProtocol.CURVE.equals(mechanism);
        identityFrameNext = greeting.isLegacy();
        this.legacySocketType = legacySocketType;
        subscriber = ZmtpProtocol.isSubscriber(legacySocketType);
    }

    /**
     * No greeting was seen (a connection joined mid-stream): the mechanism is unknown, so data
     * frames named like CURVE's MESSAGE are taken for boxes; with {@code messageStart} false the
     * frames up to the end of the message in progress (commands among them) are dropped.
     */
    void joinMidStream(boolean messageStart) {
        mechanism = ZmtpProtocol.NULL;
        curve = true;
        skipping = !messageStart;
    }

    /** True when the frames after the greeting are CURVE boxes, whose first bytes name them. */
    boolean curve() {
        return curve;
    }

    /** True between the first frame of a multipart message and its last. */
    boolean inMessage() {
        return first != null;
    }

    /**
     * One whole frame.
     *
     * @param body its kept bytes (at most maxFrame, or more for a command or a CURVE frame)
     * @param size its true size
     * @param bodyOffset stream offset of its body, for the offsets of errors inside a command
     * @return false after reporting a malformed command
     */
    boolean frame(int flags, byte[] body, long size, long bodyOffset) {
        if (skipping) {
            // A command here may sit between two frames of that message: what the peer sent from
            // the first whole message on is reported, nothing out of its order.
            skipping = (flags & (ZmtpProtocol.FLAG_MORE | ZmtpProtocol.FLAG_COMMAND)) != 0;
            return true;
        }
        if ((flags & ZmtpProtocol.FLAG_COMMAND) != 0) {
            return command(body, size, bodyOffset);
        }
        if (curve) {
            if (isCurveMessage(body)) {
                long box = size - CURVE_MESSAGE_SIZE;
                listener.command(new ZmtpCommand.CurveCommand("MESSAGE", (int) Math.min(box, Integer.MAX_VALUE)));
                return true;
            }
            if (body.length > maxFrame) {
                body = Arrays.copyOf(body, maxFrame); // read further only to look for the name
            }
        }
        if (identityFrameNext) {
            identityFrameNext = false;
            identity(new Frame(body, size));
            return true;
        }
        boolean more = (flags & ZmtpProtocol.FLAG_MORE) != 0;
        if (more || first != null) {
            if (first != null && parts.size() + 1 == MAX_FRAMES) {
                first = null;
                parts = new ArrayList<>();
                failure.fail(bodyOffset, "message with more than " + MAX_FRAMES + " frames: frame " + (MAX_FRAMES + 1)
                        + "'s body at offset " + bodyOffset + " is past the most zmqtap keeps of one message");
                return false;
            }
            if (partsKept + body.length > maxMessageKept) {
                body = EMPTY; // its size is kept: it shows as truncated
            }
            partsKept += body.length;
        }
        // every empty frame (REQ/REP's delimiter) is the same immutable one
        Frame frame = size == 0 ? Frame.EMPTY : new Frame(body, size);
        if (more) {
            if (first == null) {
                first = frame;
            } else {
                parts.add(frame);
            }
            return true;
        }
        if (first == null) {
            if (!subscription(body)) {
                listener.message(List.of(frame));
            }
            return true;
        }
        List<Frame> message;
        if (parts.isEmpty()) {
            message = List.of(first, frame); // two frames (REQ/REP's delimiter and body) without a list to gather them
        } else {
            Frame[] all = new Frame[parts.size() + 2];
            all[0] = first;
            for (int i = 0; i < parts.size(); i++) {
                all[i + 1] = parts.get(i);
            }
            all[all.length - 1] = frame;
            message = List.of(all);
            if (parts.size() > 64) {
                parts = new ArrayList<>(); // a rare long message's array is not kept for the connection's life
            } else {
                parts.clear();
            }
        }
        first = null;
        partsKept = 0;
        listener.message(message);
        return true;
    }

    private static boolean isCurveMessage(byte[] body) {
        return body.length >= CURVE_MESSAGE_SIZE
                && Arrays.equals(body, 0, CURVE_MESSAGE_SIZE, CURVE_MESSAGE, 0, CURVE_MESSAGE_SIZE);
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
