package io.zmqtap.proxy;

import io.zmqtap.endpoint.BusyPoll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.zeromq.ZMQ;

/**
 * Waits until one of a few sockets may have input, without JeroMQ's {@code ZMQ.Poller}.
 *
 * <p>{@code ZMQ.Poller.poll} registers and cancels a selection key per socket on every call, which
 * profiling showed as most of the proxy thread's CPU when traffic arrives in small bursts. This
 * waiter registers each socket's signalling channel ({@code ZMQ_FD}) with one selector once. As
 * ZMQ_FD only signals that the socket's state may have changed, every wait first asks each socket
 * for its events ({@code ZMQ_EVENTS}), which also consumes the pending signal, and only then sleeps;
 * with a {@link BusyPoll} it keeps asking for a short spell first, which saves the wake-up when the
 * next message is close behind.
 */
final class SocketWaiter implements AutoCloseable {
    private final Selector selector;
    private final List<ZMQ.Socket> sockets = new ArrayList<>();
    private final BusyPoll busyPoll;
    /** False after a wait that timed out: an idle proxy goes straight back to sleep, without polling. */
    private boolean busy = true;
    private final BooleanSupplier anyInput = this::anyInput;

    SocketWaiter(BusyPoll busyPoll) {
        this.busyPoll = busyPoll;
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector", e);
        }
    }

    /** Wakes {@link #await} when {@code socket} may have input. */
    void add(ZMQ.Socket socket) {
        SelectableChannel fd = socket.getFD();
        try {
            fd.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch a socket's signal channel", e);
        }
        sockets.add(socket);
    }

    /**
     * Returns at once if a watched socket has input, or as soon as one has during the busy-poll
     * spell; otherwise sleeps until one may have, or {@code timeoutMillis} pass.
     */
    void await(long timeoutMillis) {
        if (busy ? busyPoll.await(anyInput) : anyInput()) {
            busy = true;
            return;
        }
        try {
            busy = selector.select(timeoutMillis) > 0;
            selector.selectedKeys().clear();
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        }
    }

    private boolean anyInput() {
        for (ZMQ.Socket s : sockets) {
            if ((s.getEvents() & ZMQ.Poller.POLLIN) != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
