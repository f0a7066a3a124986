package io.zmqtap.proxy;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import zmq.Msg;
import zmq.msg.MsgAllocator;

/**
 * Where the JeroMQ engine's sockets put the messages they decode, so that a peer's announced size
 * cannot exhaust the heap.
 *
 * <p>JeroMQ's decoder (like libzmq's) allocates a frame's whole announced size as soon as it has
 * read the header. libzmq's {@code malloc} only reserves address space, and the memory comes as the
 * bytes do; Java zeroes what it allocates, so sixteen peers each announcing 256 MiB and sending a
 * few bytes ended the JVM (JeroMQ's I/O thread died of {@code OutOfMemoryError} and the proxy
 * served nobody). Here:
 * <ul>
 *   <li>a frame under {@link #SMALL} comes from the heap, as before;</li>
 *   <li>one under {@link #MAPPED} comes from the heap while the {@link WireMemory} budget has room
 *   for it, and its bytes are charged there until the garbage collector frees the frame;</li>
 *   <li>a larger one, or any past the budget, is a mapping of a deleted, sparse temporary file: the
 *   operating system gives it memory page by page as bytes arrive (and may write pages out to
 *   disk), so it costs what the peer actually sent, never what it announced.</li>
 * </ul>
 * So what peers announce but do not send costs at most the budget. (A mapping costs a few system
 * calls, which only frames of a megabyte or more, or a full budget, make worth it.)
 * Thread-safe (JeroMQ's I/O threads call it).
 *
 * <p>Usage: {@code socket.base().setSocketOpt(zmq.ZMQ.ZMQ_MSG_ALLOCATOR, new BudgetAllocator(memory));}
 */
final class BudgetAllocator implements MsgAllocator {
    /** Frames below this are plain heap arrays, not charged: many small ones cannot be announced without being sent. */
    static final int SMALL = 64 * 1024;
    /** Frames from this size on are always file mappings. */
    static final int MAPPED = 1 << 20;
    private static final Cleaner CLEANER = Cleaner.create();

    private final WireMemory memory;
    private volatile long spilled;

    BudgetAllocator(WireMemory memory) {
        this.memory = memory;
    }

    @Override
    public Msg allocate(int size) {
        if (size < SMALL) {
            return new Msg(size);
        }
        if (size < MAPPED && memory.tryAdd(size)) {
            byte[] data = new byte[size];
            CLEANER.register(data, () -> memory.add(-size)); // captures neither the array nor this
            return new Msg(data);
        }
        Msg mapped = spill(size);
        return mapped != null ? mapped : new Msg(size);
    }

    /** Frames that went to a file mapping because the budget was used up. */
    long spilled() {
        return spilled;
    }

    private Msg spill(int size) {
        Path file = null;
        try {
            file = Files.createTempFile("zmqtap-frame", null);
            MappedByteBuffer buffer;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, size); // grows the file sparsely
            }
            spilled = spilled + 1; // racing I/O threads may lose a count: it is a statistic
            return new Msg(buffer);
        } catch (IOException | RuntimeException e) {
            return null; // no temporary directory, or no address space: the heap, as JeroMQ would
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file); // the mapping stays valid; the disk space goes with it
                } catch (IOException e) {
                    // a temporary file left behind is all
                }
            }
        }
    }
}
