package io.zmqtap.dissect;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one chunk of one direction decoded to, waiting for its place in the connection's order:
 * events, and messages as their bare frames. A message becomes its {@link io.zmqtap.event.MessageEvent}
 * only at release, once its {@code seq} and the client's identity are known, so that each message
 * makes one event object, not a placeholder and then the event (half the objects of the hot path
 * on a capture file of small messages). Every item of a chunk carries the chunk's time.
 *
 * <p>Usage: {@code batch.start(time); batch.message(frames); batch.event(notice); release(batch); batch.clear();}
 */
final class Batch {
    final Direction direction;
    private Instant time = Instant.EPOCH;
    /** Each a {@link CaptureEvent}, or a message's {@code List<Frame>}. */
    private final List<Object> items;

    Batch(Direction direction) {
        this(direction, Instant.EPOCH, new ArrayList<>());
    }

    private Batch(Direction direction, Instant time, List<Object> items) {
        this.direction = direction;
        this.time = time;
        this.items = items;
    }

    /** The chunk's time: its events carry it. */
    void start(Instant time) {
        this.time = time;
    }

    Instant time() {
        return time;
    }

    void event(CaptureEvent e) {
        items.add(e);
    }

    void message(List<Frame> frames) {
        items.add(frames);
    }

    int size() {
        return items.size();
    }

    /** The {@code i}th item: a {@link CaptureEvent}, or a message's frames. */
    Object item(int i) {
        return items.get(i);
    }

    void clear() {
        items.clear();
    }

    /** A copy to keep while this one is reused (a batch that came before its turn). */
    Batch copy() {
        return new Batch(direction, time, List.copyOf(items));
    }
}
