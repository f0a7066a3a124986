package io.zmqtap.dissect;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Direction;
import io.zmqtap.event.Frame;
import java.time.Instant;
import java.util.Arrays;
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
    /** Each a {@link CaptureEvent}, or a message's {@code List<Frame>}; an array of its own, not a list, is one object fewer to reach per chunk. */
    private Object[] items;
    private int size;

    Batch(Direction direction) {
        this(direction, Instant.EPOCH, new Object[4], 0);
    }

    private Batch(Direction direction, Instant time, Object[] items, int size) {
        this.direction = direction;
        this.time = time;
        this.items = items;
        this.size = size;
    }

    /** The chunk's time: its events carry it. */
    void start(Instant time) {
        this.time = time;
    }

    Instant time() {
        return time;
    }

    void event(CaptureEvent e) {
        add(e);
    }

    void message(List<Frame> frames) {
        add(frames);
    }

    private void add(Object item) {
        if (size == items.length) {
            items = Arrays.copyOf(items, Math.max(4, size * 2));
        }
        items[size++] = item;
    }

    int size() {
        return size;
    }

    /** The {@code i}th item: a {@link CaptureEvent}, or a message's frames. */
    Object item(int i) {
        return items[i];
    }

    void clear() {
        if (items.length > 64) {
            items = new Object[4]; // a chunk of many messages does not leave a large array for the connection's life
        } else {
            Arrays.fill(items, 0, size, null);
        }
        size = 0;
    }

    /** A copy to keep while this one is reused (a batch that came before its turn). */
    Batch copy() {
        return new Batch(direction, time, Arrays.copyOf(items, size), size);
    }
}
