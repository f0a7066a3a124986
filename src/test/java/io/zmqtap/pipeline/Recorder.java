package io.zmqtap.pipeline;

import static org.assertj.core.api.Assertions.fail;

import io.zmqtap.event.CaptureEvent;
import io.zmqtap.event.MessageEvent;
import io.zmqtap.event.Sink;
import io.zmqtap.event.StatisticsEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A sink that keeps what it gets and lets a test wait for it (10 s at most). */
class Recorder implements Sink {
    private final BlockingQueue<CaptureEvent> arrived = new LinkedBlockingQueue<>();
    private final List<CaptureEvent> all = new ArrayList<>();
    private volatile int closes;

    @Override
    public void accept(CaptureEvent event) {
        synchronized (all) {
            all.add(event);
        }
        arrived.add(event);
    }

    @Override
    public void close() {
        closes++;
    }

    int closes() {
        return closes;
    }

    /** The next event to arrive, waiting up to 10 s. */
    CaptureEvent next() {
        try {
            CaptureEvent e = arrived.poll(10, TimeUnit.SECONDS);
            if (e == null) {
                fail("no event within 10 s");
            }
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    List<CaptureEvent> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    List<MessageEvent> messages() {
        return all().stream().filter(e -> e instanceof MessageEvent).map(e -> (MessageEvent) e).toList();
    }

    List<StatisticsEvent> statistics() {
        return all().stream().filter(e -> e instanceof StatisticsEvent).map(e -> (StatisticsEvent) e).toList();
    }
}
