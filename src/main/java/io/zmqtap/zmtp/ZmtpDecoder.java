package io.zmqtap.zmtp;

import java.nio.ByteBuffer;

/**
 * Incremental ZMTP decoder for ONE direction of one TCP connection. No I/O, no JeroMQ imports.
 *
 * <p>Feed it the bytes one peer sends, split anywhere; it reports the greeting, each command and
 * each complete multipart message to a {@link ZmtpListener}. It understands ZMTP/3.1, 3.0, 2.0
 * and 1.0 (the version is read from the greeting, as libzmq does). A frame body is kept up to
 * {@code maxFrame} bytes; the rest is skipped while counting, so no announced size, however
 * large, makes it allocate more (command frames, which must stay readable, are kept up to
 * {@code max(maxFrame, 64 KiB)}). On input that breaks the protocol it reports exactly one
 * {@link ProtocolError} and ignores (but counts) everything after: no input makes it throw.
 * Exceptions thrown by the listener propagate to the caller of {@code feed}. Not thread-safe:
 * one decoder per direction, fed by one thread at a time.
 *
 * <p>On a CURVE connection, the MESSAGE boxes libzmq 4.3 sends as data frames (starting
 * {@code \x07MESSAGE}) are reported as {@link ZmtpCommand.CurveCommand}s, like MESSAGE command
 * frames, not as messages: their bytes are ciphertext.
 *
 * <p>The work is split three ways: {@link GreetingReader} tells the version from the first bytes,
 * {@link FrameReader} reads frames, {@link MessageAssembler} turns them into events.
 *
 * <p>Usage:
 * <pre>{@code
 * ZmtpDecoder decoder = new ZmtpDecoder(listener);
 * while ((n = in.read(buf)) > 0) {
 *     decoder.feed(buf, 0, n);
 * }
 * decoder.end();
 * }</pre>
 */
public final class ZmtpDecoder {
    public static final int DEFAULT_MAX_FRAME = 1 << 20;

    private static final int SCRATCH_SIZE = 64 * 1024;

    private final ZmtpListener listener;
    private final ProtocolFailure failure = this::fail;
    private final GreetingReader greetingReader = new GreetingReader(failure);
    private final MessageAssembler assembler;
    private final FrameReader frameReader;

    private long consumed;
    /** After a protocol error or end(): input is counted, not decoded. */
    private boolean done;
    private boolean failed;
    private Greeting greeting;
    /** Past the greeting (or started without one): the frame reader has the bytes. */
    private boolean inFrames;
    /** A thread's scratch for read-only buffers. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** The scratch of the thread that fed this decoder last, so that the next feed from it skips the lookup. */
    private Scratch scratch;

    public ZmtpDecoder(ZmtpListener listener) {
        this(listener, DEFAULT_MAX_FRAME);
    }

    /** @param maxFrame body bytes kept per frame; larger frames are truncated, their true size reported */
    public ZmtpDecoder(ZmtpListener listener, int maxFrame) {
        if (maxFrame < 0) {
            throw new IllegalArgumentException("maxFrame " + maxFrame + " < 0");
        }
        this.listener = listener;
        this.assembler = new MessageAssembler(listener, failure, maxFrame);
        this.frameReader = new FrameReader(assembler, failure, maxFrame);
    }

    /**
     * A decoder that starts in the frames of ZMTP/3.x, at a boundary a {@link FrameSync} trusted in
     * a connection joined mid-stream (or after a gap): no greeting, no handshake. The mechanism is
     * unknown and taken as NULL, except that a data frame starting with CURVE's MESSAGE name is
     * taken for an encrypted box (a CURVE connection's messages show as MESSAGE commands, never as
     * ciphertext messages). With {@code messageStart} false the frames up to and including the next
     * data frame without MORE (commands among them too) are the end of a message already in
     * progress: they are skipped, so that no partial message, and nothing out of order, is reported.
     * Offsets in errors count from {@code offset}.
     *
     * <p>Usage: {@code ZmtpDecoder d = ZmtpDecoder.joinedMidStream(listener, 1 << 20, sync.syncedAt(), false);}
     *
     * @param offset the stream offset of the first byte it will be fed
     * @param messageStart true when a message starts at that byte
     */
    public static ZmtpDecoder joinedMidStream(ZmtpListener listener, int maxFrame, long offset, boolean messageStart) {
        ZmtpDecoder d = new ZmtpDecoder(listener, maxFrame);
        d.consumed = offset;
        d.inFrames = true;
        d.assembler.joinMidStream(messageStart);
        d.frameReader.start(GreetingReader.Framing.V3, true);
        return d;
    }

    /** Decodes all remaining bytes; the buffer's position moves to its limit. */
    public void feed(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (bytes.hasArray()) {
            feed(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
            bytes.position(bytes.limit());
            return;
        }
        // One scratch per thread, not per decoder: a capture file holds thousands of connections
        // (two decoders each), and feed copies out what it keeps, so the scratch is free again
        // when it returns. A decoder fed from within another's callback gets its own.
        Scratch s = scratch;
        if (s == null || s.thread != Thread.currentThread()) {
            s = SCRATCH.get(); // a map lookup per packet was a twentieth of reading a file: once per thread change
            scratch = s;
        }
        boolean own = s.busy;
        byte[] into = own ? new byte[SCRATCH_SIZE] : s.bytes;
        s.busy = true;
        try {
            while (bytes.hasRemaining()) {
                int chunk = Math.min(bytes.remaining(), into.length);
                bytes.get(into, 0, chunk);
                feed(into, 0, chunk);
            }
        } finally {
            if (!own) {
                s.busy = false;
            }
        }
    }

    /** One thread's scratch, and whether a feed on that thread holds it now. */
    private static final class Scratch {
        final Thread thread = Thread.currentThread();
        final byte[] bytes = new byte[SCRATCH_SIZE];
        boolean busy;
    }

    /** Decodes {@code length} bytes of {@code bytes} starting at {@code offset}. */
    public void feed(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException(
                    "offset " + offset + ", length " + length + " outside an array of " + bytes.length);
        }
        if (!done) {
            decode(bytes, offset, offset + length, consumed - offset);
        }
        consumed += length;
    }

    /** The stream closed: reports a ProtocolError when it closed mid-greeting, mid-frame or mid-message. */
    public void end() {
        if (done) {
            return;
        }
        done = true;
        if (!inFrames) {
            greetingReader.end(consumed);
        } else {
            frameReader.end(consumed);
        }
    }

    /** Bytes consumed so far (every fed byte counts, decoded or not). */
    public long offset() {
        return consumed;
    }

    /** True after a protocol error; later input is counted, not decoded. */
    public boolean failed() {
        return failed;
    }

    /** The peer's greeting, or null until it has been decoded. */
    public Greeting greeting() {
        return greeting;
    }

    /** @param base stream offset of {@code b[0]} */
    private void decode(byte[] b, int pos, int end, long base) {
        if (!inFrames) {
            pos = greetingReader.read(b, pos, end);
            if (greetingReader.greeting() == null) {
                return;
            }
            greeted();
        }
        frameReader.read(b, pos, end, base);
    }

    /** The greeting is complete: set the frame readers up for the version it named, then report it. */
    private void greeted() {
        greeting = greetingReader.greeting();
        inFrames = true;
        assembler.start(greeting, greetingReader.legacySocketType());
        frameReader.start(greetingReader.framing(), assembler.curve());
        listener.greeting(greeting);
        if (greetingReader.v1IdentitySize() >= 0) {
            frameReader.startBody(greetingReader.v1IdentitySize(), greetingReader.v1IdentityBody());
        }
    }

    private void fail(long at, String message) {
        done = true;
        failed = true;
        listener.protocolError(new ProtocolError(at, message));
    }
}
