package io.zmqtap.tap;


import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.Sink;
import org.awaitility.Awaitility;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Keeps every event a tap delivers, for assertions; waits for events with a timeout. */
final class RecordingSink implements Sink {
    private final List<CaptureEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(CaptureEvent event) {
        events.add(event);
    }

    synchronized List<CaptureEvent> events() {
        return List.copyOf(events);
    }

    <T extends CaptureEvent> List<T> all(Class<T> type) {
        return all(type, e -> true);
    }

    <T extends CaptureEvent> List<T> all(Class<T> type, Predicate<T> matching) {
        List<T> list = new ArrayList<>();
        for (CaptureEvent e : events()) {
            if (type.isInstance(e) && matching.test(type.cast(e))) {
                list.add(type.cast(e));
            }
        }
        return list;
    }

    /** Waits up to 10 s for an event of {@code type} matching {@code p}, and returns the first. */
    <T extends CaptureEvent> T await(Class<T> type, Predicate<T> p) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !all(type, p).isEmpty());
        return all(type, p).get(0);
    }

    /** Waits up to 10 s until {@code count} events of {@code type} match {@code p}, and returns them. */
    <T extends CaptureEvent> List<T> await(Class<T> type, Predicate<T> p, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> all(type, p).size() >= count);
        return all(type, p);
    }
}
